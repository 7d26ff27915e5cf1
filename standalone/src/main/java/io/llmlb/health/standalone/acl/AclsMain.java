package io.llmlb.health.standalone.acl;

import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.kafka.TopicBootstrap;
import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

/**
 * {@code ./llmlb-health acls --print|--apply}: prints the services' least-privilege ACLs, or
 * creates the topics and applies the ACLs through the Admin API, connecting with
 * {@code LLMLB_KAFKA_BOOTSTRAP} and {@code LLMLB_KAFKA_CONFIG} (an administrator's principal).
 * Applying is idempotent: existing ACLs and topics stay as they are.
 */
public final class AclsMain {

    private AclsMain() {
    }

    public static void main(String[] args) {
        String mode = args.length == 0 ? "--print" : args[0];
        if (args.length > 1 || !(mode.equals("--print") || mode.equals("--apply"))) {
            System.err.println("usage: llmlb-health acls [--print|--apply]");
            System.exit(2);
        }
        KafkaSettings kafka;
        List<AclBinding> acls;
        try {
            EnvReader env = new EnvReader(System.getenv());
            kafka = KafkaSettings.fromEnv(env);
            acls = AclPlan.bindings(kafka, ServicePrincipals.fromEnv(env));
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        acls.forEach(acl -> System.out.println(AclPlan.describe(acl)));
        if (mode.equals("--apply")) {
            try {
                apply(kafka, acls);
            } catch (RuntimeException e) {
                System.err.println("could not apply the ACLs on " + kafka.bootstrapServers() + ": " + e.getMessage());
                System.exit(1);
            }
        }
    }

    /** Creates the topics, then the ACLs, as the principal of {@code kafka}'s client settings. */
    public static void apply(KafkaSettings kafka, List<AclBinding> acls) {
        TopicBootstrap.ensureTopics(kafka, Duration.ofSeconds(60));
        try (Admin admin = Admin.create(kafka.clientProperties("llmlb-acls"))) {
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
            System.out.println("applied " + acls.size() + " ACLs on " + kafka.bootstrapServers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause().toString() : e.toString(), e);
        }
    }
}
