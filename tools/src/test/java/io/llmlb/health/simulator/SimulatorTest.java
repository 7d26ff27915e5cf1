package io.llmlb.health.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmlb.health.standalone.EmbeddedKafkaBroker;
import io.llmlb.health.standalone.Standalone;
import io.llmlb.health.standalone.StandaloneConfig;
import io.llmlb.health.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against the real pipeline: registers and approves its fleet, heartbeats it, kills a
 * share long enough to be seen offline and revives it, on one progress line.
 */
class SimulatorTest {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);

    @TempDir
    Path dataDir;

    @Test
    void registersHeartbeatsKillsAndRevivesAFleetOnOneLine() throws Exception {
        Map<String, String> serverEnv = new HashMap<>();
        serverEnv.put("LLMLB_PORT", "0");
        serverEnv.put("LLMLB_HOST", "127.0.0.1");
        serverEnv.put("LLMLB_DATA_DIR", dataDir.toString());
        serverEnv.put("LLMLB_KAFKA_PORT", String.valueOf(EmbeddedKafkaBroker.freePort()));
        // Beats every 0.5 s, faster than the per-node limit allows (it has tests of its own).
        serverEnv.put("LLMLB_HEARTBEAT_RATE", "6000");
        serverEnv.put("LLMLB_HEARTBEAT_BURST", "1000");
        serverEnv.put("LLMLB_MAX_NODES", "100");
        try (Standalone standalone = Standalone.start(
                StandaloneConfig.fromEnv(serverEnv).withTimings(NODE_TIMEOUT, CHECK_INTERVAL))) {
            String url = "http://127.0.0.1:" + standalone.port();
            // 40 nodes beating every 0.5 s; after 1 s a fifth of them dies for 3.5 s (past the 2 s timeout),
            // then revives while another fifth dies.
            SimulatorOptions options = SimulatorOptions.parse(new String[] {"--nodes", "40", "--interval", "0.5",
                    "--fail", "0.2", "--down", "3.5", "--duration", "7"}, Map.of("LLMLB_URL", url));
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            Simulator simulator = new Simulator(options, new PrintStream(console, true, StandardCharsets.UTF_8));

            simulator.run();

            String output = console.toString(StandardCharsets.UTF_8);
            assertEquals(0, simulator.failed(), output);
            assertEquals(simulator.sent(), simulator.succeeded(), output);
            // ~14 beats per node over 7 s, minus the dead: far more than one round
            assertTrue(simulator.succeeded() > 40 * 6, "only " + simulator.succeeded() + " heartbeats: " + output);
            assertTrue(output.contains("40 nodes registered and approved"), output);
            assertTrue(output.contains("\r[00:0"), "progress is rewritten in place: " + output);
            assertTrue(output.lines().anyMatch(line -> line.startsWith("done: sent")), output);

            AdminClient admin = new AdminClient(java.net.URI.create(url)).login("admin", "test");
            JsonNode nodes = Json.MAPPER.readTree(admin.get("/v0/nodes").body()).get("nodes");
            assertEquals(40, nodes.size());
            long timeouts = 0;
            for (JsonNode node : nodes) {
                assertTrue(node.get("approved").asBoolean(), node.toString());
                timeouts += node.get("timeouts").asLong();
            }
            // the first fifth (8 nodes) was silent for 3.5 s > 2 s timeout, so each timed out once
            assertTrue(timeouts >= 8, "timeouts " + timeouts + ": " + output);
        }
    }
}
