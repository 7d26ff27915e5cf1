package io.llmlb.health.standalone;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * TLS and SASL for the embedded broker, to run it as production runs Kafka (the secured tests
 * do): clients connect over SASL_SSL with SCRAM-SHA-512, the controller listener takes only
 * mutual TLS, and the StandardAuthorizer allows nothing without an ACL except to super users.
 *
 * @param keystore PKCS12 keystore holding the broker's key and certificate (subject {@code brokerSubject})
 * @param truststore PKCS12 truststore that trusts the broker's certificate
 * @param storePassword password of both stores and of the key
 * @param brokerSubject the certificate's distinguished name, e.g. {@code CN=llmlb-broker}: the
 *        broker's own principal on the controller listener, hence a super user
 * @param adminUser SCRAM user the broker itself uses between listeners; a super user
 * @param scramUsers every SCRAM user (name → password) created when the storage is formatted,
 *        {@code adminUser} included
 */
public record BrokerSecurity(Path keystore, Path truststore, String storePassword, String brokerSubject,
                             String adminUser, Map<String, String> scramUsers) {

    static final String MECHANISM = "SCRAM-SHA-512";

    public BrokerSecurity {
        scramUsers = Map.copyOf(scramUsers);
        if (!scramUsers.containsKey(adminUser)) {
            throw new IllegalArgumentException("the admin user " + adminUser + " needs a SCRAM password");
        }
    }

    /** Adds listeners, TLS, SASL and the authorizer to the broker's {@code props}. */
    void configure(Properties props, int port, int controllerPort) {
        props.put("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SSL");
        props.put("inter.broker.listener.name", "SASL_SSL");
        props.put("sasl.enabled.mechanisms", MECHANISM);
        props.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas(adminUser, scramUsers.get(adminUser)));
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", keystore.toAbsolutePath().toString());
        props.put("ssl.keystore.password", storePassword);
        props.put("ssl.key.password", storePassword);
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.location", truststore.toAbsolutePath().toString());
        props.put("ssl.truststore.password", storePassword);
        // SCRAM credentials live in the metadata log, so the controller cannot use them: its
        // listener takes only clients with a certificate the truststore vouches for (the broker).
        props.put("listener.name.controller.ssl.client.auth", "required");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + adminUser + ";User:" + brokerSubject);
    }

    /** {@code --add-scram} arguments of the storage format, one per user. */
    java.util.List<String> scramArguments() {
        return scramUsers.entrySet().stream()
                .map(user -> MECHANISM + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]")
                .toList();
    }

    /** The JAAS line of a SCRAM client. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
