package io.llmlb.health.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs the measurements against fresh standalones in child JVMs, one {@link ServerPlan} after
 * the other, and collects the figures.
 */
final class Bench {

    /** Share of the fleet silenced per detection scenario: well below the mass-silence guard's 50 %. */
    static final double SILENCED_SHARE = 0.10;
    static final int CLOSED_LOOP_CLIENTS = 256;
    static final int OPEN_LOOP_RATE = 10_000;
    static final int OPEN_LOOP_MAX_IN_FLIGHT = 2_000;
    static final int BACK_ONLINE_SAMPLES = 200;
    static final int LISTING_SAMPLES = 20;

    private final boolean quick;
    private final boolean perNodeMetrics;
    private final PrintStream out;
    private final long startedNanos = System.nanoTime();

    Bench(boolean quick, PrintStream out) {
        this(quick, false, out);
    }

    /** {@code perNodeMetrics}: the servers export per-node series, and {@code /metrics} is timed at 10,000 nodes. */
    Bench(boolean quick, boolean perNodeMetrics, PrintStream out) {
        this.quick = quick;
        this.perNodeMetrics = perNodeMetrics;
        this.out = out;
    }

    Figures run(String command) throws Exception {
        return run(command, ServerPlan.of(quick));
    }

    /** {@code bench --detection}: one server, {@link DetectionSpeed}; returns its Markdown report. */
    String runDetection(String command, ServerPlan plan, double silentShare, int massExpiryRuns) throws Exception {
        Figures figures = new Figures();
        figures.command = command;
        Path work = Files.createTempDirectory("llmlb-bench-");
        String report;
        try (ServerSession session = ServerSession.start(plan, work.resolve("server-" + plan.name()), false, figures,
                this::say, false)) {
            report = session.measureDetectionSpeed(silentShare, massExpiryRuns);
        } catch (Exception | Error e) {
            say("bench failed; the server's log is kept in " + work);
            throw e;
        }
        deleteRecursively(work);
        return "`" + command + "`, " + ZonedDateTime.now() + ", took "
                + Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds() + " s\n\n" + report;
    }

    /** Runs {@code plans} only (the login-flood row alone, say). */
    Figures run(String command, java.util.List<ServerPlan> plans) throws Exception {
        Figures figures = new Figures();
        figures.quick = quick;
        figures.command = command;
        figures.startedAt = ZonedDateTime.now();
        figures.machine = Machine.describe();
        figures.plans = plans;
        figures.silencedShare = SILENCED_SHARE;
        figures.closedLoopClients = CLOSED_LOOP_CLIENTS;
        figures.openLoopRate = OPEN_LOOP_RATE;
        Path work = Files.createTempDirectory("llmlb-bench-");
        try {
            for (ServerPlan plan : figures.plans) {
                try (ServerSession session = ServerSession.start(plan, work.resolve("server-" + plan.name()), quick,
                        figures, this::say, perNodeMetrics)) {
                    session.measure();
                }
            }
        } catch (Exception | Error e) {
            say("bench failed; the servers' logs are kept in " + work);
            throw e;
        }
        deleteRecursively(work);
        figures.took = Duration.ofNanos(System.nanoTime() - startedNanos);
        return figures;
    }

    private void say(String line) {
        long seconds = (System.nanoTime() - startedNanos) / 1_000_000_000L;
        out.printf("[%02d:%02d] %s%n", seconds / 60, seconds % 60, line);
        out.flush();
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1024.0 / 1024.0);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
    }
}
