package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's own start command, end to end: {@code ./llmlb-health up} becomes ready, serves
 * the seed's login, and SIGTERM stops everything, leaving no process and no port behind. Runs in
 * the integration-test phase, after the jar is packaged.
 */
class LauncherIT {

    private static final Path REPO = RepoPaths.root();

    @TempDir
    Path dataDir;

    @Test
    void upBecomesReadyAndSigtermLeavesNothingBehind() throws Exception {
        int httpPort = EmbeddedKafkaBroker.freePort();
        int kafkaPort = EmbeddedKafkaBroker.freePort();
        Path log = dataDir.resolve("up.log");
        ProcessBuilder builder = new ProcessBuilder(REPO.resolve("llmlb-health").toString(), "up")
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(java.util.Map.of(
                "LLMLB_PORT", String.valueOf(httpPort),
                "LLMLB_KAFKA_PORT", String.valueOf(kafkaPort),
                "LLMLB_HOST", "127.0.0.1",
                "LLMLB_DATA_DIR", dataDir.resolve("data").toString(),
                "LLMLB_NO_BUILD", "1"));
        Process up = builder.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !up.isAlive() || Files.readString(log).contains("llmlb-health ready"));
            String output = Files.readString(log);
            assertTrue(up.isAlive(), output);
            assertTrue(output.contains("llmlb-health ready: http://localhost:" + httpPort + "  kafka 127.0.0.1:" + kafkaPort
                    + " (embedded)  log in as admin / test"), output);
            assertEquals(200, new ApiClient(httpPort).login("admin", "test").status());
            List<ProcessHandle> family = up.toHandle().descendants().toList();

            up.destroy(); // SIGTERM, as Ctrl-C or docker stop would send

            assertTrue(up.waitFor(60, TimeUnit.SECONDS), "still running 60 s after SIGTERM");
            assertTrue(Files.readString(log).contains("llmlb-health stopping"));
            for (ProcessHandle child : family) {
                assertFalse(child.isAlive(), "left behind: " + child.info());
            }
            assertTrue(isFree(httpPort), "HTTP port still bound");
            assertTrue(isFree(kafkaPort), "Kafka port still bound");
        } finally {
            up.destroyForcibly();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
