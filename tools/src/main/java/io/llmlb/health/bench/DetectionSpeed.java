package io.llmlb.health.bench;

import io.llmlb.health.simulator.AdminClient;
import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.InputPath;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * {@code ./llmlb-health bench --detection} (issue 16): against one standalone at a (sub-second)
 * check interval, measures
 * <ul>
 * <li>the time of a timeout sweep against fleet size, with no node expiring (the deadline index
 *     makes a sweep O(expired), so it must not grow with the fleet), from the server's own
 *     {@code llm_router_detector_sweep_seconds};</li>
 * <li>the steady scenario of the full bench (every tenth node silent at its own phase): verdict
 *     minus deadline, visibility to a read_committed consumer, false timeouts;</li>
 * <li>mass expiry: a share of the fleet below the mass-silence guard's threshold beats once more
 *     at one instant and falls silent, so all their deadlines coincide; the same figures, the last
 *     verdict included.</li>
 * </ul>
 * It prints a Markdown report and writes nothing.
 */
final class DetectionSpeed {

    /** How long the sweep time is sampled at each fleet size. */
    private static final Duration SWEEP_SAMPLE = Duration.ofSeconds(20);

    /** Sweep time at one fleet size; p50 and p99 are bucket bounds ("at most"). */
    private record Sweeps(int nodes, long sweeps, double meanMillis, String p50, String p99, double maxMillis,
                          String load) {
    }

    /** A scrape of {@code llm_router_detector_sweep_seconds}: count, sum and max, and the cumulative buckets. */
    private record SweepTimer(double count, double sumSeconds, double maxSeconds, java.util.TreeMap<Double, Double> buckets) {

        /** The bucket bound under which {@code quantile} of the sweeps since {@code earlier} fell. */
        String quantileSince(SweepTimer earlier, double quantile) {
            double total = count - earlier.count;
            for (var bucket : buckets.entrySet()) {
                double below = bucket.getValue() - earlier.buckets.getOrDefault(bucket.getKey(), 0.0);
                if (total > 0 && below >= quantile * total) {
                    return Double.isInfinite(bucket.getKey()) ? "> 5 s"
                            : String.format("≤ %d ms", Math.round(bucket.getKey() * 1000));
                }
            }
            return "–";
        }
    }

    /**
     * One scenario's lags with the load average when it ended, and how many of its verdicts the
     * server deferred ({@code llm_router_detection_deferred_total}): a gap of more than 3 s between
     * ingest's ticks is an outage of the input path, and nodes silent during it get a whole timeout
     * of grace, by design; on a starved machine such gaps happen and their lag is that grace.
     */
    private record Scenario(String name, Figures.Lag lag, double longestSweepMillis, long deferred, String load) {
    }

    private final ServerSession session;
    private final ServerPlan plan;
    private final ServerProcess server;
    private final Fleet fleet;
    private final ChangeWatcher watcher;
    private final AdminClient admin;
    private final Consumer<String> say;
    private final double silentShare;
    private final List<Sweeps> sweeps = new ArrayList<>();
    private final List<Scenario> scenarios = new ArrayList<>();
    private CpuWindow idle;
    private String idleLoad;

    DetectionSpeed(ServerSession session, ServerPlan plan, ServerProcess server, Fleet fleet, ChangeWatcher watcher,
                   AdminClient admin, Consumer<String> say, double silentShare) {
        this.session = session;
        this.plan = plan;
        this.server = server;
        this.fleet = fleet;
        this.watcher = watcher;
        this.admin = admin;
        this.say = say;
        this.silentShare = silentShare;
    }

    String measure() throws InterruptedException {
        measureIdle();
        fleet.startHeartbeats();
        int nodes = 0;
        for (int size : plan.sizes()) {
            nodes = size;
            growAndLetEveryNodeBeat(size);
            sweeps.add(measureSweeps(size));
        }
        double deferredBefore = deferredVerdicts();
        Figures.Lag steady = session.measureDetection(nodes);
        scenarios.add(new Scenario("steady: every tenth node silent at its own phase", steady, Double.NaN,
                (long) (deferredVerdicts() - deferredBefore), Machine.currentLoadAverage()));
        fleet.silence(node -> false);
        awaitBackOnline(steady.silenced());
        scenarios.add(measureMassExpiry(nodes));
        return render();
    }

    /**
     * {@code --mass-expiry-runs}: the fleet joins whole, and the mass expiry alone is measured
     * {@code runs} times, the silenced share back online before each (a run takes about one node
     * timeout plus one fleet period instead of the quarter hour of {@link #measure()}).
     */
    String measureMassExpiryOnly(int runs) throws InterruptedException {
        measureIdle();
        fleet.startHeartbeats();
        int nodes = plan.sizes().getLast();
        growAndLetEveryNodeBeat(nodes);
        for (int run = 1; run <= runs; run++) {
            if (run > 1) {
                fleet.silence(node -> false);
                awaitBackOnline(scenarios.getLast().lag().silenced());
            }
            scenarios.add(measureMassExpiry(nodes));
        }
        return render();
    }

    private void growAndLetEveryNodeBeat(int size) throws InterruptedException {
        session.grow(size);
        // A whole fleet period, not a poll: every node beats once, so no registration-time deadline
        // is left in the index.
        Thread.sleep(plan.fleetPeriod().plusSeconds(1).toMillis());
    }

    /** The server's CPU with no node at all: the ticks, commits and sweeps of an idle detector. */
    private void measureIdle() throws InterruptedException {
        CpuWindow.Meter cpu = new CpuWindow.Meter(server);
        Thread.sleep(SWEEP_SAMPLE.toMillis() / 2); // the measuring window: nothing to wait for, time to count
        idle = cpu.stop();
        idleLoad = Machine.currentLoadAverage();
        say.accept("idle server (no nodes): " + idle);
    }

    private Sweeps measureSweeps(int nodes) throws InterruptedException {
        SweepTimer before = sweepTimer();
        Thread.sleep(SWEEP_SAMPLE.toMillis()); // the sampling window of the sweep timer
        SweepTimer after = sweepTimer();
        long count = (long) (after.count() - before.count());
        double meanMillis = count == 0 ? Double.NaN : (after.sumSeconds() - before.sumSeconds()) / count * 1000;
        Sweeps sample = new Sweeps(nodes, count, meanMillis, after.quantileSince(before, 0.5),
                after.quantileSince(before, 0.99), after.maxSeconds() * 1000, Machine.currentLoadAverage());
        say.accept(String.format("sweeps at %,d nodes: %d in %d s, p50 %s, p99 %s, mean %.3f ms, max %.3f ms (load %s)",
                nodes, count, SWEEP_SAMPLE.toSeconds(), sample.p50(), sample.p99(), meanMillis, sample.maxMillis(),
                sample.load()));
        return sample;
    }

    /** The steady scenario's nodes beat again; wait until they are all online, so the mass share is of a whole fleet. */
    private void awaitBackOnline(int silenced) throws InterruptedException {
        long target = watcher.backOnline() + silenced;
        long deadline = System.nanoTime() + plan.fleetPeriod().plusSeconds(60).toNanos();
        while (watcher.backOnline() < target && System.nanoTime() < deadline) {
            // Polling with a deadline (checked above).
            Thread.sleep(100);
        }
    }

    private Scenario measureMassExpiry(int nodes) throws InterruptedException {
        int percent = (int) Math.round(silentShare * 100);
        IntPredicate silenced = node -> node < nodes && node % 100 < percent;
        int expected = (int) IntStream.range(0, nodes).filter(silenced).count();
        ChangeWatcher.Scenario scenario = watcher.begin(silenced, expected);
        CpuWindow.Meter cpu = new CpuWindow.Meter(server);
        double deferredBefore = deferredVerdicts();
        Instant lastSeen = fleet.lastBeatThenSilence(silenced);
        say.accept(String.format("mass expiry: %,d of %,d nodes beat at %s and fall silent together; deadline %s",
                expected, nodes, lastSeen, lastSeen.plus(plan.nodeTimeout())));
        long deadline = System.nanoTime() + plan.nodeTimeout().plus(plan.checkInterval()).plusSeconds(60).toNanos();
        while (scenario.detected() < expected && System.nanoTime() < deadline) {
            // Polling with a deadline (checked above): the bench measures how long this takes.
            Thread.sleep(100);
        }
        // The timer's max covers the last two minutes: the sweeps that judged the mass.
        double longestSweepMillis = sweepTimer().maxSeconds() * 1000;
        Figures.Lag lag;
        synchronized (scenario) {
            lag = new Figures.Lag(nodes, plan.checkInterval(), plan.fleetPeriod(), plan.nodeTimeout(),
                    scenario.decidedMillis.sorted(), scenario.visibleMillis.sorted(), expected,
                    scenario.falseTimeouts.get(), cpu.stop());
        }
        say.accept(String.format("  detected %,d/%,d: p50 %d ms, p99 %d ms, last %d ms; visible p99 %d ms, last %d ms;"
                        + " longest sweep %.0f ms; %d false timeouts (%s)", lag.decided().length, expected,
                LongList.percentile(lag.decided(), 0.5), LongList.percentile(lag.decided(), 0.99),
                LongList.percentile(lag.decided(), 1.0), LongList.percentile(lag.visible(), 0.99),
                LongList.percentile(lag.visible(), 1.0), longestSweepMillis, lag.falseTimeouts(), lag.cpu()));
        return new Scenario(String.format("mass expiry: %.0f %% silent together", silentShare * 100), lag,
                longestSweepMillis, (long) (deferredVerdicts() - deferredBefore), Machine.currentLoadAverage());
    }

    /** {@code llm_router_detection_deferred_total} now. */
    private double deferredVerdicts() {
        for (String line : metricsText().split("\n")) {
            if (line.startsWith("llm_router_detection_deferred_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private String metricsText() {
        HttpResponse<String> answer = admin.get("/metrics");
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics answered " + answer.statusCode());
        }
        return answer.body();
    }

    /** {@code llm_router_detector_sweep_seconds} now (one timer for all tasks). */
    private SweepTimer sweepTimer() {
        double[] timer = new double[3];
        java.util.TreeMap<Double, Double> buckets = new java.util.TreeMap<>();
        for (String line : metricsText().split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length < 2 || line.startsWith("#")) {
                continue;
            }
            String name = parts[0].contains("{") ? parts[0].substring(0, parts[0].indexOf('{')) : parts[0];
            switch (name) {
                case "llm_router_detector_sweep_seconds_count" -> timer[0] += Double.parseDouble(parts[1]);
                case "llm_router_detector_sweep_seconds_sum" -> timer[1] += Double.parseDouble(parts[1]);
                case "llm_router_detector_sweep_seconds_max" -> timer[2] = Math.max(timer[2], Double.parseDouble(parts[1]));
                case "llm_router_detector_sweep_seconds_bucket" -> {
                    String le = parts[0].replaceAll(".*le=\"([^\"]+)\".*", "$1");
                    buckets.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                            Double.parseDouble(parts[1]), Double::sum);
                }
                default -> {
                }
            }
        }
        return new SweepTimer(timer[0], timer[1], timer[2], buckets);
    }

    private String render() {
        String interval = EnvReader.plainSeconds(plan.checkInterval());
        Duration tick = InputPath.tickInterval(plan.checkInterval());
        StringBuilder md = new StringBuilder();
        md.append(String.format("Check interval %s s (ingest ticks every %d ms), node timeout %d s, fleet heartbeat"
                        + " period %d s, one standalone (3 heartbeat partitions, one ingest replica: %.0f ticks/s).%n%n",
                interval, tick.toMillis(), plan.nodeTimeout().toSeconds(), plan.fleetPeriod().toSeconds(),
                3 * 1000.0 / tick.toMillis()));
        md.append(String.format("Idle server, no nodes: %.2f cores (load average %s).%n%n", idle.server(), idleLoad));
        if (!sweeps.isEmpty()) {
            md.append("| fleet | sweeps in " + SWEEP_SAMPLE.toSeconds() + " s | p50 | p99 | mean | max (last 2 min)"
                    + " | load average |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---|\n");
            for (Sweeps sample : sweeps) {
                md.append(String.format("| %,d | %d | %s | %s | %.2f ms | %.0f ms | %s |%n", sample.nodes(),
                        sample.sweeps(), sample.p50(), sample.p99(), sample.meanMillis(), sample.maxMillis(),
                        sample.load()));
            }
            md.append("\n");
        }
        md.append("| scenario | nodes | silenced | detected | p50 | p99 | last | visible p50 | visible p99 | visible last"
                + " | false timeouts | deferred by an input-outage grace | longest sweep | CPU cores: server / bench / others"
                + " | load average |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Scenario scenario : scenarios) {
            Figures.Lag lag = scenario.lag();
            md.append(String.format("| %s | %,d | %,d | %,d | %s | %s | %s | %s | %s | %s | %d | %,d | %s | %.2f / %.2f / %.2f"
                            + " | %s |%n",
                    scenario.name(), lag.nodes(), lag.silenced(), lag.decided().length, seconds(lag.decided(), 0.5),
                    seconds(lag.decided(), 0.99), seconds(lag.decided(), 1.0), seconds(lag.visible(), 0.5),
                    seconds(lag.visible(), 0.99), seconds(lag.visible(), 1.0), lag.falseTimeouts(), scenario.deferred(),
                    Double.isNaN(scenario.longestSweepMillis()) ? "–"
                            : String.format("%.0f ms", scenario.longestSweepMillis()),
                    lag.cpu().server(), lag.cpu().bench(), lag.cpu().others(), scenario.load()));
        }
        return md.toString();
    }

    private static String seconds(long[] sortedMillis, double quantile) {
        return sortedMillis.length == 0 ? "–" : String.format("%.3f s", LongList.percentile(sortedMillis, quantile) / 1000.0);
    }
}
