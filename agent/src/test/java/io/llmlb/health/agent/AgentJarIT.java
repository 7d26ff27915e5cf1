package io.llmlb.health.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.llmlb.health.wire.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The jar a node runs: one file, started with {@code java -jar}, that carries the agent, the wire
 * format and Jackson, and neither Kafka nor Helidon (the node needs no broker client and no server).
 */
class AgentJarIT {

    private static final Path JAR = Path.of("target", "llmlb-health-agent.jar");
    private static final List<String> FORBIDDEN = List.of("org/apache/kafka/", "io/helidon/", "kafka/",
            "io/llmlb/health/kafka/", "io/llmlb/health/standalone/", "io/micrometer/");

    private HttpServer server;
    private Process agent;

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            agent.waitFor();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void jarHoldsTheAgentAndJacksonButNoKafkaNorHelidon() throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by mvn package");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            List<String> forbidden = names.stream()
                    .filter(name -> FORBIDDEN.stream().anyMatch(name::startsWith))
                    .toList();
            assertEquals(List.of(), forbidden, "classes that must stay off the agent's class path");
            assertTrue(names.contains("io/llmlb/health/agent/AgentMain.class"), "the agent");
            assertTrue(names.contains("io/llmlb/health/wire/Json.class"), "the wire format");
            assertTrue(names.contains("com/fasterxml/jackson/databind/ObjectMapper.class"), "Jackson");
            assertEquals(AgentMain.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }

    @Test
    void jarRunsWithJavaJarAndSendsHeartbeatsWithTheNodeToken() throws IOException {
        // Given a server that answers every heartbeat 200 and keeps what it was sent
        List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        List<String> tokens = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v0/health", exchange -> {
            tokens.add(exchange.getRequestHeaders().getFirst("X-Node-Token"));
            bodies.add(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] answer = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();

        // When the jar runs alone, as on a node: java -jar, configured by the environment only
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "agent-jar-it.log").toFile());
        builder.environment().put("LLMLB_URL", "http://127.0.0.1:" + server.getAddress().getPort());
        builder.environment().put("XLLM_TOKEN", "jar-test-token");
        builder.environment().put("XLLM_NODE_ID", "jar-node");
        builder.environment().put("XLLM_HEARTBEAT_SECS", "10");
        builder.environment().put("XLLM_NVIDIA_SMI", "off");
        agent = builder.start();

        // Then its first heartbeat arrives at once, with the token and the node's figures
        await().atMost(Duration.ofSeconds(30)).until(() -> !bodies.isEmpty() || !agent.isAlive());
        assertTrue(agent.isAlive(), () -> "the agent exited: " + log());
        assertEquals("jar-test-token", tokens.getFirst());
        JsonNode heartbeat = bodies.getFirst();
        assertEquals("jar-node", heartbeat.path("node_id").asText());
        assertTrue(heartbeat.path("system_metrics").has("cpu_usage"), heartbeat::toString);
    }

    private static String log() {
        try {
            return Files.readString(Path.of("target", "agent-jar-it.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
