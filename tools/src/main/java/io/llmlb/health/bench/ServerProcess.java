package io.llmlb.health.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A standalone in a child JVM on a fresh data folder and ephemeral ports: its own heap, its own
 * resident memory and CPU time, so what the bench measures about the server is the server's.
 */
final class ServerProcess implements AutoCloseable {

    /**
     * Generous: at load average 80 on the shared two-core machine (other sessions' Docker stacks
     * and builds), the embedded broker's controller took 2 s per event and a standalone more than
     * 120 s to start.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(360);

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final int kafkaPort;
    private final int httpPort;
    private final Path log;

    private ServerProcess(Process process, int kafkaPort, Path log) throws InterruptedException {
        this.process = process;
        this.kafkaPort = kafkaPort;
        this.log = log;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("bench-server-stdout").start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        String ready = awaitLine(BenchServer.READY, START_TIMEOUT);
        this.httpPort = Integer.parseInt(ready.substring(ready.indexOf("port=") + 5).trim());
    }

    /**
     * Starts a standalone with {@code timeout} and {@code checkInterval} on {@code dataDir}, with
     * per-node series on {@code /metrics} if {@code perNodeMetrics}.
     */
    static ServerProcess start(Path dataDir, Duration timeout, Duration checkInterval, String maxHeap,
                               boolean perNodeMetrics) throws InterruptedException {
        int kafkaPort = BenchServer.freeKafkaPort();
        Map<String, String> env = new java.util.HashMap<>();
        env.put("LLMLB_HOST", "127.0.0.1");
        env.put("LLMLB_PORT", "0");
        env.put("LLMLB_KAFKA_PORT", String.valueOf(kafkaPort));
        env.put("LLMLB_MAX_NODES", "1000000");
        env.put("LLMLB_PER_NODE_METRICS", String.valueOf(perNodeMetrics));
        // The bench drives each node far faster than a real one to find the pipeline's ceiling, not the limiter's.
        env.put("LLMLB_HEARTBEAT_RATE", "6000");
        env.put("LLMLB_HEARTBEAT_BURST", "1000");
        // The login flood plays many clients behind a gateway: the bench is that gateway.
        env.put("LLMLB_TRUSTED_PROXIES", "127.0.0.1");
        return launch(dataDir, maxHeap, BenchServer.class, List.of(String.valueOf(timeout.toMillis()),
                String.valueOf(checkInterval.toMillis())), env, kafkaPort);
    }

    /**
     * Starts {@code service} ({@link BenchService}) alone against {@code standalone}'s broker, with
     * the standalone's detection timings.
     */
    static ServerProcess startService(Path dataDir, String service, ServerProcess standalone, Duration timeout,
                                      Duration checkInterval) throws InterruptedException {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("LLMLB_KAFKA_BOOTSTRAP", standalone.bootstrap());
        env.put("LLMLB_MAX_NODES", "1000000");
        return launch(dataDir, "4g", BenchService.class, List.of(service, String.valueOf(timeout.toMillis()),
                String.valueOf(checkInterval.toMillis())), env, standalone.kafkaPort);
    }

    private static ServerProcess launch(Path dataDir, String maxHeap, Class<?> main, List<String> arguments,
                                        Map<String, String> settings, int kafkaPort) throws InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("--enable-native-access=ALL-UNNAMED");
        // Extra JVM options for the server alone, to profile it: e.g.
        // LLMLB_BENCH_SERVER_OPTS="-XX:StartFlightRecording=filename=/tmp/server-%p.jfr,settings=profile"
        String serverOptions = System.getenv("LLMLB_BENCH_SERVER_OPTS");
        if (serverOptions != null && !serverOptions.isBlank()) {
            command.addAll(List.of(serverOptions.trim().split("\\s+")));
        }
        String logging = System.getProperty("java.util.logging.config.file");
        if (logging != null) {
            command.add("-Djava.util.logging.config.file=" + logging);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        // A clean environment: the operator's LLMLB_* settings (an external Kafka, a port) must not leak in.
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", System.getProperty("user.home"));
        env.put("LLMLB_DATA_DIR", dataDir.toString());
        // The operator settings passed through, to compare: the broker's transaction version (1 or
        // 2) and the state-processor's stream threads.
        for (String compared : List.of("LLMLB_KAFKA_TRANSACTION_VERSION", "LLMLB_STREAM_THREADS")) {
            String value = System.getenv(compared);
            if (value != null) {
                env.put(compared, value);
            }
        }
        env.putAll(settings);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        builder.redirectError(log.toFile());
        try {
            Files.createDirectories(dataDir);
            return new ServerProcess(builder.start(), kafkaPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the bench server", e);
        }
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Heap in use after a full collection and heap committed, in bytes. */
    long[] heapAfterGc() throws InterruptedException {
        String answer = gcAnswer();
        return new long[] {field(answer, "used="), field(answer, "committed=")};
    }

    /** The whole answer to {@code gc}: the heap figures and what the process says it holds. */
    String gcAnswer() throws InterruptedException {
        command("gc");
        return awaitLine(BenchServer.HEAP, Duration.ofSeconds(60));
    }

    static long field(String line, String name) {
        int start = line.indexOf(name) + name.length();
        int end = line.indexOf(' ', start);
        return Long.parseLong(line.substring(start, end < 0 ? line.length() : end).trim());
    }

    /**
     * Bytes of live objects per class, from {@code jcmd <pid> GC.class_histogram} (which collects
     * first); empty when the JDK has no jcmd.
     */
    Map<String, Long> classHistogram() throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Map<String, Long> bytes = new java.util.HashMap<>();
        if (!Files.isExecutable(jcmd)) {
            return bytes;
        }
        try {
            Process histogram = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), "GC.class_histogram")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(histogram.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    java.util.regex.Matcher matcher = row.matcher(line);
                    if (matcher.find()) {
                        bytes.merge(matcher.group(2), Long.parseLong(matcher.group(1)), Long::sum);
                    }
                }
            }
            histogram.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            bytes.clear();
        }
        return bytes;
    }

    /** Resident set size, from /proc/&lt;pid&gt;/status, in bytes. */
    long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    /** CPU time used so far (user + system), from /proc/&lt;pid&gt;/stat. */
    Duration cpuTime() {
        return ProcCpu.ofProcess(pid());
    }

    private void command(String text) {
        try {
            commands.write(text + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the bench server does not listen: see " + log, e);
        }
    }

    private String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive()) {
                throw new IllegalStateException("the bench server exited with " + process.exitValue() + ": see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no '" + prefix + "' from the bench server within "
                        + timeout.toSeconds() + " s: see " + log);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            command("stop");
        } catch (UncheckedIOException alreadyGone) {
            // fall through to the wait
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
