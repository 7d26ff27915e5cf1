package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a careless operator does with {@code ./llmlb-health up}, through the README's own command:
 * a port already taken, a second instance on the same data directory, and the log of a clean run
 * on JDK 25 (no {@code sun.misc.Unsafe} warnings, no meter registered twice a minute after start).
 */
class LauncherRefusalsIT {

    private static final Path REPO = RepoPaths.root();

    @TempDir
    Path dir;

    @Test
    void httpPortInUseExitsAtOnceWithOneLineNamingPortAndVariable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result result = runToEnd(environment("data", port, EmbeddedKafkaBroker.freePort()));

            assertNotEquals(0, result.exitCode(), result.output());
            assertOneLineRefusal(result.output(), "port " + port, "LLMLB_PORT");
        }
    }

    @Test
    void kafkaPortInUseExitsAtOnceNamingItsVariable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result result = runToEnd(environment("data", EmbeddedKafkaBroker.freePort(), port));

            assertNotEquals(0, result.exitCode(), result.output());
            assertOneLineRefusal(result.output(), "port " + port, "LLMLB_KAFKA_PORT");
        }
    }

    @Test
    void secondInstanceOnTheSameDataDirectoryIsRefusedAndTheFirstRunsOnWithACleanLog() throws Exception {
        int httpPort = EmbeddedKafkaBroker.freePort();
        Path firstLog = dir.resolve("first.log");
        Process first = start(environment("data", httpPort, EmbeddedKafkaBroker.freePort()), firstLog);
        try {
            // Generous: on a loaded 2-core machine the broker and streams can take over a minute to start.
            Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !first.isAlive() || Files.readString(firstLog).contains("llmlb-health ready"));
            assertTrue(first.isAlive(), Files.readString(firstLog));

            // When a second instance starts on the same directory (its own ports, so only the directory clashes)
            Result second = runToEnd(environment("data", EmbeddedKafkaBroker.freePort(), EmbeddedKafkaBroker.freePort()));

            // Then it is refused, naming the directory and the holder,
            assertNotEquals(0, second.exitCode(), second.output());
            assertOneLineRefusal(second.output(), dir.resolve("data").toString(), "pid " + first.pid());
            // and the first keeps serving.
            assertEquals(200, new ApiClient(httpPort).login("admin", "test").status());

            // A minute after start Micrometer's Kafka binder re-checks its meters: none may be registered twice.
            Awaitility.await().during(Duration.ofSeconds(70)).atMost(Duration.ofSeconds(80))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> first.isAlive() && !Files.readString(firstLog).contains("already registered"));

            first.destroy();
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "still running 60 s after SIGTERM");
            String log = Files.readString(firstLog);
            // Kafka unmaps its index files with sun.misc.Unsafe (at the latest on shutdown): no JDK warning.
            assertFalse(log.contains("sun.misc.Unsafe"), log);
            assertFalse(log.contains("has been already registered"), log);
        } finally {
            first.destroyForcibly();
        }
    }

    private static void assertOneLineRefusal(String output, String... mentions) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        assertEquals(1, lines.size(), "expected one line, got:\n" + output);
        for (String mention : mentions) {
            assertTrue(lines.getFirst().contains(mention), "'" + mention + "' not in: " + output);
        }
        assertFalse(output.contains("Exception") || output.contains("ready:"), output);
    }

    private Map<String, String> environment(String dataDir, int httpPort, int kafkaPort) {
        Map<String, String> env = new HashMap<>();
        env.put("LLMLB_PORT", String.valueOf(httpPort));
        env.put("LLMLB_KAFKA_PORT", String.valueOf(kafkaPort));
        env.put("LLMLB_HOST", "127.0.0.1");
        env.put("LLMLB_DATA_DIR", dir.resolve(dataDir).toString());
        env.put("LLMLB_NO_BUILD", "1");
        return env;
    }

    private Process start(Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(REPO.resolve("llmlb-health").toString(), "up")
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private record Result(int exitCode, String output) {
    }

    private Result runToEnd(Map<String, String> env) throws Exception {
        Path log = Files.createTempFile(dir, "refused", ".log");
        Process process = start(env, log);
        try {
            // "At once": before any broker could have started and long before the 90 s start-up limit.
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "still running: " + Files.readString(log));
            return new Result(process.exitValue(), Files.readString(log));
        } finally {
            process.destroyForcibly();
        }
    }
}
