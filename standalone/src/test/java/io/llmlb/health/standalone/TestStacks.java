package io.llmlb.health.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starting the standalone for tests, and running the real tools (promtool, python, bash) beside it. */
final class TestStacks {

    private TestStacks() {
    }

    /**
     * The environment of a test stack, to add to: ephemeral HTTP port on loopback, data under
     * {@code dataDir}, the embedded broker on a free port.
     */
    static Map<String, String> environment(Path dataDir) {
        Map<String, String> env = new HashMap<>(PipelineScenario.testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_PORT", String.valueOf(EmbeddedKafkaBroker.freePort()));
        return env;
    }

    /** A standalone on the embedded broker with test timings (seconds, not minutes). */
    static Standalone start(Map<String, String> env, Duration nodeTimeout, Duration checkInterval)
            throws InterruptedException {
        return Standalone.start(StandaloneConfig.fromEnv(env).withTimings(nodeTimeout, checkInterval));
    }

    /** What a finished command printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {
    }

    /** Runs {@code command} with {@code stdin}, waiting at most a minute. */
    static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(process.exitValue(), output);
    }
}
