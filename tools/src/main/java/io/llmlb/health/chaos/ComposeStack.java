package io.llmlb.health.chaos;

import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.InputPath;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The compose stack under test, driven through the real {@code docker} and {@code docker-compose}
 * commands: started through the offline image kit when it is not running, faults injected with
 * {@code docker kill / pause / restart}, and taken down again only when this run started it.
 */
final class ComposeStack {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(15);
    private static final String PROJECT_IMAGE = "llmlb-local/llmlb-health:chaos";
    /** System property: set (true) when the jars are already built and the image kit must not build them. */
    static final String NO_BUILD_PROPERTY = "llmlb.chaos.noBuild";

    private final Path root;
    private final String project;
    private final Map<String, String> env = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int gatewayPort;
    private final List<Integer> kafkaPorts;
    /** The compose files, in order, each as {@code -f FILE}. */
    private final List<String> composeFiles = new ArrayList<>();
    private final boolean dedicatedControllers;

    ComposeStack(Path root, String project, int gatewayPort, List<Integer> kafkaPorts, int prometheusPort,
                 Duration nodeTimeout, Duration checkInterval, int fleetSize, boolean dedicatedControllers) {
        this.root = root;
        this.project = project;
        this.dedicatedControllers = dedicatedControllers;
        composeFiles.addAll(List.of("-f", root.resolve("docker-compose.yml").toString()));
        if (dedicatedControllers) {
            composeFiles.addAll(List.of("-f", root.resolve("docker-compose.controllers.yml").toString()));
        }
        this.gatewayPort = gatewayPort;
        this.kafkaPorts = kafkaPorts;
        env.put("LLMLB_GATEWAY_PORT", String.valueOf(gatewayPort));
        for (int i = 0; i < kafkaPorts.size(); i++) {
            env.put("LLMLB_KAFKA_" + (i + 1) + "_PORT", String.valueOf(kafkaPorts.get(i)));
        }
        env.put("LLMLB_PROMETHEUS_PORT", String.valueOf(prometheusPort));
        env.put("LLMLB_NODE_TIMEOUT", String.valueOf(nodeTimeout.toSeconds()));
        env.put(InputPath.CHECK_INTERVAL_VARIABLE, EnvReader.plainSeconds(checkInterval));
        // The fleet must fit under the registry's cap (the seed's 1,000 unless raised).
        env.put("LLMLB_MAX_NODES", String.valueOf(Math.max(1_000, fleetSize)));
        env.put("LLMLB_OFFLINE_TAG", "chaos");
        env.put("LLMLB_OFFLINE_ENV_FILE", envFile().toString());
        env.put("LLMLB_JWT_SECRET", System.getenv().getOrDefault("LLMLB_JWT_SECRET", randomSecret()));
        if (Boolean.getBoolean(NO_BUILD_PROPERTY)) {
            // Inside a Maven build the jars were just packaged: the image kit must not run Maven again.
            env.put("LLMLB_NO_BUILD", "1");
        }
    }

    /** Whether a Docker engine answers here. */
    static boolean dockerAvailable() {
        try {
            Process process = new ProcessBuilder("docker", "info").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    URI gateway() {
        return URI.create("http://127.0.0.1:" + gatewayPort);
    }

    /** The brokers' EXTERNAL listeners, published on loopback. */
    String kafkaBootstrap() {
        return String.join(",", kafkaPorts.stream().map(port -> "127.0.0.1:" + port).toList());
    }

    /** Whether the gateway answers {@code /health/ready} with 200 (a query-api replica is ready). */
    boolean isReady() {
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(gateway().resolve("/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Builds the images with the offline kit and starts the stack. Outside a Maven build the images
     * are reused by tag while they are newer than the project's jars; inside one (the jars were just
     * packaged) they are always rebuilt, or a test would run the code of whatever build made the tag
     * first. (Reused by tag alone, a run after a code change measured the previous code.)
     */
    void up() throws IOException, InterruptedException {
        boolean jarsJustBuilt = Boolean.getBoolean(NO_BUILD_PROPERTY);
        if (jarsJustBuilt || !Files.exists(envFile()) || imageOlderThanJars()) {
            runOrFail(List.of(root.resolve("deploy/offline-images.sh").toString()));
        }
        compose("up", "-d");
    }

    /** Whether the project image is missing or was built before the standalone's jars last changed. */
    private boolean imageOlderThanJars() throws IOException, InterruptedException {
        Process inspect = start(List.of("docker", "image", "inspect", "-f", "{{.Created}}", PROJECT_IMAGE));
        String created = new String(inspect.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!inspect.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || inspect.exitValue() != 0) {
            return true;
        }
        Instant builtAt;
        try {
            builtAt = Instant.parse(created);
        } catch (java.time.format.DateTimeParseException e) {
            return true; // an engine that prints another format: rebuild, as when in doubt
        }
        try (var jars = Files.list(root.resolve("standalone/target/lib"))) {
            Instant newestJar = jars.map(ComposeStack::modified).max(Instant::compareTo).orElse(Instant.MAX);
            Instant launcher = modified(root.resolve("standalone/target/llmlb-health-standalone.jar"));
            return builtAt.isBefore(newestJar.isAfter(launcher) ? newestJar : launcher);
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.MAX;
        }
    }

    void compose(String... args) throws IOException, InterruptedException {
        runOrFail(composeCommand(args));
    }

    private List<String> composeCommand(String... args) {
        List<String> command = new ArrayList<>(List.of("docker-compose", "-p", project));
        command.addAll(composeFiles);
        command.addAll(List.of("--env-file", envFile().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The compose service of the Kafka node with {@code nodeId}: a broker ({@code kafka-N}, which
     * in the default layout is also a controller), or one of docker-compose.controllers.yml's
     * controllers (node ids 101..103).
     */
    String kafkaService(int nodeId) {
        return dedicatedControllers && nodeId > 100 ? "controller-" + (nodeId - 100) : "kafka-" + nodeId;
    }

    boolean dedicatedControllers() {
        return dedicatedControllers;
    }

    /** The container id of {@code service} (e.g. {@code kafka-2}, {@code state-processor-1}). */
    String container(String service) throws IOException, InterruptedException {
        String id = output(composeCommand("ps", "-q", service)).strip();
        if (id.isEmpty()) {
            throw new IllegalStateException("no container for service " + service + " in project " + project);
        }
        return id.lines().findFirst().orElseThrow();
    }

    void docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        runOrFail(command);
    }

    /** Docker's health status of a container: healthy, starting, unhealthy, or its state without a check. */
    String health(String container) throws IOException, InterruptedException {
        return output(List.of("docker", "inspect", "-f",
                "{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}", container)).strip();
    }

    private Path envFile() {
        return root.resolve("deploy/offline-chaos.env");
    }

    private void runOrFail(List<String> command) throws IOException, InterruptedException {
        Process process = start(command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
        }
    }

    private String output(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return output;
    }

    private Process start(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String randomSecret() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
