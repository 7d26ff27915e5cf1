package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.standalone.acl.AclPlan;
import io.llmlb.health.standalone.acl.AclsMain;
import io.llmlb.health.standalone.acl.ServicePrincipals;
import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.Topics;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka as production runs it: the embedded broker with only a SASL_SSL listener (SCRAM-SHA-512,
 * a certificate made by the test) and the StandardAuthorizer; the ACLs of
 * {@code ./llmlb-health acls --apply}; each service connecting with its own principal through its
 * own client properties file. One broker for the whole class.
 */
class SecuredKafkaTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Topics TOPICS = new Topics(Topics.DEFAULT_PREFIX);
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path dir;

    private static EmbeddedKafkaBroker broker;
    private static Standalone standalone;
    private static TestCertificates certificates;
    private static final Map<String, String> passwords = new HashMap<>();

    @BeforeAll
    static void startSecuredClusterAndServices() throws Exception {
        certificates = TestCertificates.create(dir, secret());
        for (String user : new String[] {"admin", "llmlb-ingest", "llmlb-processor", "llmlb-query"}) {
            passwords.put(user, secret());
        }
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), EmbeddedKafkaBroker.freePort(),
                new BrokerSecurity(certificates.keystore(), certificates.truststore(), certificates.password(),
                        certificates.subject(), "admin", passwords));

        // The operator's step: topics and ACLs, as the admin principal.
        KafkaSettings admin = settings(clientFile("admin", passwords.get("admin")));
        AclsMain.apply(admin, AclPlan.bindings(admin, ServicePrincipals.fromEnv(new EnvReader(Map.of()))));

        Map<String, String> env = TestStacks.environment(dir.resolve("data"));
        env.put("LLMLB_KAFKA_BOOTSTRAP", broker.bootstrapServers());
        env.put("LLMLB_INGEST_KAFKA_CONFIG", clientFile("llmlb-ingest", passwords.get("llmlb-ingest")).toString());
        env.put("LLMLB_STATE_PROCESSOR_KAFKA_CONFIG",
                clientFile("llmlb-processor", passwords.get("llmlb-processor")).toString());
        env.put("LLMLB_QUERY_API_KAFKA_CONFIG", clientFile("llmlb-query", passwords.get("llmlb-query")).toString());
        standalone = TestStacks.start(env, Duration.ofSeconds(3), Duration.ofMillis(250));
    }

    @AfterAll
    static void stop() {
        if (standalone != null) {
            standalone.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void seedFlowWorksThroughTheSecuredClusterWithOnePrincipalPerService() {
        ApiClient api = new ApiClient(standalone.port());
        String jwt = api.adminJwt();

        ApiClient.Reply registered = api.register(jwt, "secure-node");
        assertEquals(201, registered.status(), registered.body());
        String token = registered.json().get("node_token").asText();
        assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/secure-node/approve").status());
        ApiClient.Reply beat = api.heartbeat(token, ApiClient.seedHeartbeat("secure-node"));
        assertEquals(200, beat.status(), beat.body());

        await().atMost(PATIENCE).until(() -> PipelineScenario.heartbeats(api, jwt, "secure-node") == 1);
        assertEquals("online", PipelineScenario.state(api, jwt, "secure-node"));
        String metrics = api.send("GET", "/metrics", Map.of(), null).body();
        assertTrue(metrics.contains("llm_router_heartbeats_received_total{node_id=\"secure-node\"} 1.0"), metrics);
        // The state-processor's punctuator and transactions work under its own principal too.
        await().atMost(PATIENCE).until(() -> PipelineScenario.state(api, jwt, "secure-node"), "offline"::equals);
    }

    @Test
    void clientWithoutSaslIsRefused() {
        Map<String, Object> plaintext = quickAdmin();
        Map<String, Object> tlsOnly = quickAdmin();
        tlsOnly.put("security.protocol", "SSL");
        tlsOnly.put("ssl.truststore.location", certificates.truststore().toString());
        tlsOnly.put("ssl.truststore.password", certificates.password());

        for (Map<String, Object> anonymous : new Map[] {plaintext, tlsOnly}) {
            try (Admin admin = Admin.create(anonymous)) {
                assertThrows(ExecutionException.class,
                        () -> admin.listTopics().names().get(10, TimeUnit.SECONDS), anonymous.toString());
            }
        }
    }

    @Test
    void wrongPasswordIsRefused() throws IOException {
        Map<String, Object> props = quickAdmin();
        settings(clientFile("llmlb-ingest", "not-the-password")).client().applyTo(props);

        try (Admin admin = Admin.create(props)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(10, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }

    @Test
    void ingestPrincipalCannotWriteTheRegistry() throws IOException {
        assertWriteRefused("llmlb-ingest", TOPICS.nodeRegistry());
    }

    @Test
    void queryApiPrincipalCannotWriteHeartbeats() throws IOException {
        assertWriteRefused("llmlb-query", TOPICS.heartbeats());
    }

    @Test
    void stateProcessorPrincipalCannotWriteTheRegistry() throws IOException {
        assertWriteRefused("llmlb-processor", TOPICS.nodeRegistry());
    }

    /**
     * Whoever holds a principal that may write the registry (here the super user) is the trust
     * boundary; what it writes is still read as untrusted input. Rogue records and a canary go to
     * one partition, so once the canary is visible the rogue records before it have been read.
     */
    @Test
    void rogueRegistryAndStateRecordsAreNeverShownCountedOrExported() throws Exception {
        String rogueId = "rogue \"id\"<b>";
        String chosenToken = "attacker-chosen-token";
        String hash = io.llmlb.health.wire.NodeTokens.sha256Hex(chosenToken);
        Map<String, Object> props = settings(clientFile("admin", passwords.get("admin"))).clientProperties("test-rogue");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            String registry = TOPICS.nodeRegistry();
            producer.send(new ProducerRecord<>(registry, 0, rogueId, registration(rogueId, "\"" + hash + "\"", "true"))).get();
            producer.send(new ProducerRecord<>(registry, 0, "forged-typed", registration("forged-typed", "\"" + hash + "\"", "1"))).get();
            producer.send(new ProducerRecord<>(registry, 0, "forged-hash", registration("forged-hash", "\"chosen\"", "true"))).get();
            producer.send(new ProducerRecord<>(registry, 0, "canary-registry", registration("canary-registry",
                    "\"" + io.llmlb.health.wire.NodeTokens.sha256Hex("canary") + "\"", "false"))).get();
            producer.send(new ProducerRecord<>(TOPICS.nodeState(), 0, rogueId, nodeState(rogueId))).get();
            producer.send(new ProducerRecord<>(TOPICS.nodeState(), 0, "canary-state", nodeState("canary-state"))).get();
        }
        ApiClient api = new ApiClient(standalone.port());
        String jwt = api.adminJwt();

        await().atMost(PATIENCE).until(() -> PipelineScenario.state(api, jwt, "canary-registry"), "pending"::equals);
        await().atMost(PATIENCE).until(() -> PipelineScenario.state(api, jwt, "canary-state"), "online"::equals);

        String nodes = api.nodes(jwt).body();
        String metrics = api.send("GET", "/metrics", Map.of(), null).body();
        for (String forged : new String[] {"rogue", "forged-typed", "forged-hash"}) {
            assertFalse(nodes.contains(forged), nodes);
            assertFalse(metrics.contains(forged), forged + " on /metrics");
        }
        assertEquals(401, api.heartbeat(chosenToken, ApiClient.seedHeartbeat("forged-hash")).status(),
                "the attacker's token is not a node token");
    }

    private static String registration(String nodeId, String hashJson, String approvedJson) {
        return "{\"node_id\":" + io.llmlb.health.wire.Json.MAPPER.valueToTree(nodeId) + ",\"token_sha256\":" + hashJson
                + ",\"approved\":" + approvedJson + ",\"machine_name\":null,\"labels\":{},"
                + "\"registered_at\":\"2026-11-28T02:03:57Z\",\"command\":\"APPROVED\",\"command_at\":\"2026-11-28T02:03:57Z\"}";
    }

    private static String nodeState(String nodeId) {
        return "{\"node_id\":" + io.llmlb.health.wire.Json.MAPPER.valueToTree(nodeId) + ",\"state\":\"online\","
                + "\"approved\":true,\"machine_name\":null,\"labels\":{},\"registered_at\":\"2026-11-28T02:03:57.101Z\","
                + "\"last_seen\":\"2026-11-28T02:03:57.873Z\",\"online_since\":\"2026-11-28T02:03:57.377Z\","
                + "\"deadline\":\"2099-11-28T02:04:57.873Z\",\"heartbeats\":1,\"timeouts\":0,\"seq\":2,"
                + "\"last_change_at\":\"2026-11-28T02:03:57.377Z\"}";
    }

    private static void assertWriteRefused(String user, String topic) throws IOException {
        Map<String, Object> props = settings(clientFile(user, passwords.get(user))).clientProperties("test-" + user);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            Throwable refusal = assertThrows(Exception.class,
                    () -> producer.send(new ProducerRecord<>(topic, "node-x", "{\"node_id\":\"node-x\"}")).get(15, TimeUnit.SECONDS));
            Throwable cause = refusal instanceof ExecutionException ? refusal.getCause() : refusal;
            assertInstanceOf(TopicAuthorizationException.class, cause, user + " writing " + topic + ": " + refusal);
        }
    }

    private static Map<String, Object> quickAdmin() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        return props;
    }

    private static KafkaSettings settings(Path clientFile) {
        return KafkaSettings.fromEnv(new EnvReader(Map.of(
                "LLMLB_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                "LLMLB_KAFKA_CONFIG", clientFile.toString())));
    }

    /** A client properties file as an operator writes one for {@code user}. */
    private static Path clientFile(String user, String password) throws IOException {
        Properties props = new Properties();
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", "SCRAM-SHA-512");
        props.put("sasl.jaas.config", BrokerSecurity.jaas(user, password));
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.location", certificates.truststore().toString());
        props.put("ssl.truststore.password", certificates.password());
        Path file = dir.resolve(user + "-" + password.hashCode() + ".properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            props.store(writer, "SASL_SSL client settings of " + user);
        }
        return file;
    }

    private static String secret() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
