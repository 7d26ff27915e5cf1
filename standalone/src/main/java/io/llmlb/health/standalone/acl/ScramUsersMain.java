package io.llmlb.health.standalone.acl;

import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Creates or updates SCRAM-SHA-512 users through the Admin API, connecting with
 * {@code LLMLB_KAFKA_BOOTSTRAP} and {@code LLMLB_KAFKA_CONFIG} (a super user):
 * {@code ScramUsersMain <file>}, the file holding one {@code name:password} per line. The secured
 * compose variant's one-shot setup service runs it before {@link AclsMain}. Passwords are never printed.
 */
public final class ScramUsersMain {

    private static final int ITERATIONS = 8192;

    private ScramUsersMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ScramUsersMain <file of name:password lines>");
            System.exit(2);
        }
        KafkaSettings kafka;
        List<UserScramCredentialAlteration> users;
        try {
            kafka = KafkaSettings.fromEnv(new EnvReader(System.getenv()));
            users = read(Path.of(args[0]));
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (Admin admin = Admin.create(kafka.clientProperties("llmlb-scram-users"))) {
            admin.alterUserScramCredentials(users).all().get(120, TimeUnit.SECONDS);
            users.forEach(user -> System.out.println("SCRAM-SHA-512 user " + user.user() + " set"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        } catch (Exception e) {
            System.err.println("could not set SCRAM users on " + kafka.bootstrapServers() + ": "
                    + (e.getCause() != null ? e.getCause() : e));
            System.exit(1);
        }
    }

    static List<UserScramCredentialAlteration> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read SCRAM users file " + file + ": " + e.getMessage());
        }
        List<UserScramCredentialAlteration> users = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new ConfigException("SCRAM users file " + file + ": lines must be name:password");
            }
            users.add(new UserScramCredentialUpsertion(line.substring(0, colon),
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), line.substring(colon + 1)));
        }
        return users;
    }
}
