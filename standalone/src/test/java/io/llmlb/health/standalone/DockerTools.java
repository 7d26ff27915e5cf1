package io.llmlb.health.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Docker command line, the compose command and the offline image kit
 * ({@code deploy/offline-images.sh}), as the tests that need a real Docker engine use them.
 */
final class DockerTools {

    private static final Path REPO = RepoPaths.root();

    private DockerTools() {
    }

    /** What a finished command printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {

        boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Whether a Docker engine answers {@code docker info}. */
    static boolean engineAnswers() {
        try {
            return run(List.of("docker", "info"), Map.of(), Duration.ofSeconds(30)).succeeded();
        } catch (IllegalStateException e) {
            return false; // no docker binary at all
        }
    }

    /** {@code docker-compose} (1.29, as Debian ships it) if present, else Compose v2's {@code docker compose}. */
    static List<String> composeCommand() {
        if (tryRun(List.of("docker-compose", "version"))) {
            return List.of("docker-compose");
        }
        if (tryRun(List.of("docker", "compose", "version"))) {
            return List.of("docker", "compose");
        }
        throw new IllegalStateException("a Docker engine runs but neither docker-compose nor `docker compose` is installed");
    }

    /** Whether the image exists locally. */
    static boolean imageExists(String image) {
        return run(List.of("docker", "image", "inspect", image), Map.of(), Duration.ofSeconds(30)).succeeded();
    }

    /**
     * Runs the offline kit with images tagged {@code tag} and the image variables written to
     * {@code envFile}. The jars come from this build (the integration-test phase runs after
     * packaging): the kit must not start a Maven inside Maven.
     */
    static void buildOfflineImages(String tag, Path envFile) {
        Result result = run(List.of(REPO.resolve("deploy/offline-images.sh").toString()),
                Map.of("LLMLB_OFFLINE_TAG", tag, "LLMLB_OFFLINE_ENV_FILE", envFile.toString(), "LLMLB_NO_BUILD", "1"),
                Duration.ofMinutes(15));
        if (!result.succeeded()) {
            throw new IllegalStateException("deploy/offline-images.sh failed:\n" + result.output());
        }
    }

    /** Runs {@code command} in the repository root; the deadline kills it. */
    static Result run(List<String> command, Map<String, String> environment, Duration deadline) {
        try {
            Path output = Files.createTempFile("llmlb-docker-", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile())
                        .redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " still running after " + deadline
                            + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean tryRun(List<String> command) {
        try {
            return run(command, Map.of(), Duration.ofSeconds(30)).succeeded();
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** {@code base} followed by {@code more}. */
    /** Free loopback ports for everything a compose stack publishes, and a fresh JWT secret. */
    static Map<String, String> stackEnvironment() {
        byte[] secret = new byte[48];
        new java.security.SecureRandom().nextBytes(secret);
        Map<String, String> environment = new java.util.HashMap<>();
        environment.put("LLMLB_JWT_SECRET", java.util.Base64.getEncoder().encodeToString(secret));
        for (String port : List.of("LLMLB_GATEWAY_PORT", "LLMLB_PROMETHEUS_PORT", "LLMLB_KAFKA_1_PORT",
                "LLMLB_KAFKA_2_PORT", "LLMLB_KAFKA_3_PORT")) {
            environment.put(port, String.valueOf(EmbeddedKafkaBroker.freePort()));
        }
        return environment;
    }

    /** Runs {@code compose} with {@code command}, failing the test with its output unless it succeeds in time. */
    static void composeOrFail(List<String> compose, Map<String, String> environment, Duration deadline,
                              String... command) {
        Result result = run(concat(compose, command), environment, deadline);
        org.junit.jupiter.api.Assertions.assertTrue(result.succeeded(),
                String.join(" ", command) + " failed:\n" + result.output());
    }

    static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
