package io.llmlb.health.bench;

import io.llmlb.health.standalone.EmbeddedKafkaBroker;
import io.llmlb.health.standalone.Standalone;
import io.llmlb.health.standalone.StandaloneConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The standalone as the bench runs it, in a child JVM of its own: configured from the
 * environment like {@code ./llmlb-health up}, with the bench's detection timings, and answering
 * two commands on standard input: {@code gc} (prints the heap in use after a full collection)
 * and {@code stop}.
 *
 * <p>The only bench class that compiles against the standalone module: everything else in the
 * bench talks to the child JVM over HTTP and Kafka clients.
 */
public final class BenchServer {

    static final String READY = "BENCH-SERVER-READY";
    static final String HEAP = "BENCH-SERVER-HEAP";

    private BenchServer() {
    }

    /** A free port for the child's embedded broker. */
    static int freeKafkaPort() {
        return EmbeddedKafkaBroker.freePort();
    }

    /** Arguments: node timeout and check interval in milliseconds. */
    public static void main(String[] args) throws Exception {
        Duration timeout = Duration.ofMillis(Long.parseLong(args[0]));
        Duration interval = Duration.ofMillis(Long.parseLong(args[1]));
        Standalone standalone = Standalone.start(StandaloneConfig.fromEnv(System.getenv()).withTimings(timeout, interval));
        System.out.println(READY + " port=" + standalone.port());
        System.out.flush();
        answerCommands(standalone, () -> "");
    }

    /**
     * Answers {@code gc} (the heap after a full collection, then {@code held}'s words) and
     * {@code stop} on standard input until stopped, then closes {@code app} and exits.
     */
    static void answerCommands(AutoCloseable app, java.util.function.Supplier<String> held) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String command;
            while ((command = commands.readLine()) != null && !command.equals("stop")) {
                if (command.equals("gc")) {
                    // Two collections: the first may only promote what the second can free.
                    System.gc();
                    System.gc();
                    System.out.println(HEAP + " used=" + memory.getHeapMemoryUsage().getUsed()
                            + " committed=" + memory.getHeapMemoryUsage().getCommitted() + " " + held.get());
                    System.out.flush();
                }
            }
        } finally {
            app.close();
        }
        System.exit(0);
    }
}
