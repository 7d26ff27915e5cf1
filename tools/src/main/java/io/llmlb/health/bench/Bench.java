package io.llmlb.health.bench;

import io.llmlb.health.simulator.AdminClient;
import io.llmlb.health.wire.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * Runs the measurements against standalones in child JVMs: one with a 1 s check interval (ingest,
 * memory, listing, back-online and detection lag), then one with 10 s (detection lag).
 */
final class Bench {

    /** Timeout of the bench's detector: two periods of the fleet, as the seed's 60 s is two of 30 s. */
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(20);
    /** Heartbeat period of the bench fleet: the seed's shortest allowed, so the heaviest load. */
    static final Duration FLEET_PERIOD = Duration.ofSeconds(10);
    /** Share of the fleet silenced per detection scenario: below the mass-silence guard's 50 %. */
    static final double SILENCED_SHARE = 0.10;
    static final int CLOSED_LOOP_CLIENTS = 64;
    static final int OPEN_LOOP_RATE = 10_000;
    static final int OPEN_LOOP_MAX_IN_FLIGHT = 2_000;
    static final int BACK_ONLINE_SAMPLES = 200;
    static final int LISTING_SAMPLES = 20;

    private final boolean quick;
    private final PrintStream out;
    private final Figures figures = new Figures();
    private final Topics topics = new Topics(Topics.DEFAULT_PREFIX);
    private final long startedNanos = System.nanoTime();

    Bench(boolean quick, PrintStream out) {
        this.quick = quick;
        this.out = out;
    }

    Figures run(String command) throws Exception {
        long started = System.nanoTime();
        figures.quick = quick;
        figures.command = command;
        figures.startedAt = ZonedDateTime.now();
        figures.machine = Machine.describe();
        figures.nodeTimeout = NODE_TIMEOUT;
        figures.fleetPeriod = FLEET_PERIOD;
        figures.silencedShare = SILENCED_SHARE;
        figures.closedLoopClients = CLOSED_LOOP_CLIENTS;
        figures.openLoopRate = OPEN_LOOP_RATE;
        List<Integer> sizes = quick ? List.of(1_000, 10_000) : List.of(1_000, 10_000, 100_000);
        Path work = Files.createTempDirectory("llmlb-bench-");
        try {
            fleetRun(work.resolve("server-1s"), Duration.ofSeconds(1), sizes, true);
            fleetRun(work.resolve("server-10s"), Duration.ofSeconds(10), sizes, false);
        } catch (Exception | Error e) {
            say("bench failed; the servers' logs are kept in " + work);
            throw e;
        }
        deleteRecursively(work);
        figures.took = Duration.ofNanos(System.nanoTime() - started);
        return figures;
    }

    private void fleetRun(Path dataDir, Duration checkInterval, List<Integer> sizes, boolean everything)
            throws Exception {
        say("starting a standalone (check interval " + checkInterval.toSeconds() + " s, timeout "
                + NODE_TIMEOUT.toSeconds() + " s) in a child JVM on " + dataDir);
        try (ServerProcess server = ServerProcess.start(dataDir, NODE_TIMEOUT, checkInterval, "4g");
             Fleet fleet = new Fleet(server.bootstrap(), topics, FLEET_PERIOD);
             ChangeWatcher watcher = new ChangeWatcher(server.bootstrap(), topics, NODE_TIMEOUT)) {
            AdminClient admin = new AdminClient(server.baseUrl()).login("admin", "test");
            HttpLoad load = new HttpLoad(server);
            if (everything) {
                figures.baseline = memory(server, 0);
                say(String.format("baseline: heap %s after GC, RSS %s", mib(figures.baseline.heapBytes()),
                        mib(figures.baseline.residentBytes())));
            }
            fleet.startHeartbeats();
            for (int nodes : sizes) {
                grow(fleet, watcher, nodes);
                // Every node beats once before anything is measured, so each state holds the latest
                // metrics like a real node's, and each silenced node has a last_seen to count from.
                Thread.sleep(FLEET_PERIOD.plusSeconds(1).toMillis());
                if (everything) {
                    measureMemory(server, nodes);
                    measureListing(admin, nodes);
                    if (nodes == sizes.getFirst()) {
                        measureIngestCeiling(load, server, nodes);
                    }
                }
                Figures.Lag lag = measureDetection(fleet, watcher, server, nodes, checkInterval);
                figures.lags.add(lag);
                if (everything && nodes == 10_000) {
                    measureBackOnline(load, admin, server, nodes, lag);
                }
                fleet.silence(node -> false);
                if (everything && nodes == sizes.getLast()) {
                    measureOpenLoop(load, fleet, watcher, server, nodes);
                }
            }
            figures.fleetBehindMillis = Math.max(figures.fleetBehindMillis, fleet.worstBehindMillis());
            figures.detectorEvents += watcher.detectorEvents();
        }
    }

    private void grow(Fleet fleet, ChangeWatcher watcher, int nodes) throws InterruptedException {
        long started = System.nanoTime();
        fleet.growTo(nodes);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (watcher.approvals() < nodes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + watcher.approvals() + " of " + nodes
                        + " registrations reached the detector within 5 minutes");
            }
            Thread.sleep(100);
        }
        say(String.format("fleet of %,d registered through Kafka and online at the detector in %.1f s", nodes,
                (System.nanoTime() - started) / 1e9));
    }

    private static Figures.Memory memory(ServerProcess server, int nodes) throws InterruptedException {
        java.util.Map<String, Long> classes = server.classHistogram();
        long[] heap = server.heapAfterGc();
        return new Figures.Memory(nodes, heap[0], heap[1], server.residentBytes(), classes);
    }

    private void measureMemory(ServerProcess server, int nodes) throws InterruptedException {
        Figures.Memory memory = memory(server, nodes);
        figures.memory.add(memory);
        say(String.format("memory at %,d nodes: heap %s after GC, RSS %s", nodes, mib(memory.heapBytes()),
                mib(memory.residentBytes())));
    }

    private void measureListing(AdminClient admin, int nodes) {
        admin.get("/v0/nodes");
        long[] millis = new long[LISTING_SAMPLES];
        long bytes = 0;
        for (int i = 0; i < LISTING_SAMPLES; i++) {
            long started = System.nanoTime();
            HttpResponse<String> answer = admin.get("/v0/nodes");
            millis[i] = (System.nanoTime() - started) / 1_000_000;
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET /v0/nodes answered " + answer.statusCode());
            }
            bytes = answer.body().length();
        }
        java.util.Arrays.sort(millis);
        figures.listings.add(new Figures.Listing(nodes, millis, bytes));
        say(String.format("GET /v0/nodes at %,d nodes: p50 %d ms, max %d ms, %s", nodes,
                LongList.percentile(millis, 0.5), millis[millis.length - 1], mib(bytes)));
    }

    private void measureIngestCeiling(HttpLoad load, ServerProcess server, int nodes) throws InterruptedException {
        // Heartbeats and the bare endpoint take turns, so background load on a shared machine
        // weighs on both alike instead of on whichever ran during a busy moment.
        int rounds = quick ? 2 : 3;
        Duration warmUp = Duration.ofSeconds(quick ? 2 : 5);
        Duration measure = Duration.ofSeconds(quick ? 5 : 10);
        List<byte[]> heartbeats = HttpLoad.heartbeatRequests(server.baseUrl(), nodes);
        byte[] live = HttpLoad.liveRequest(server.baseUrl());
        say(String.format("ingest vs bare HTTP: %d clients, %d rounds of %d s on POST /v0/health then on"
                + " GET /health/live...", CLOSED_LOOP_CLIENTS, rounds, measure.toSeconds()));
        List<HttpLoad.Result> ingestRounds = new ArrayList<>();
        List<HttpLoad.Result> bareRounds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            ingestRounds.add(load.closedLoop(heartbeats, CLOSED_LOOP_CLIENTS, warmUp, measure));
            bareRounds.add(load.closedLoop(List.of(live), CLOSED_LOOP_CLIENTS, warmUp, measure));
        }
        figures.ingest = HttpLoad.Result.combine(ingestRounds);
        figures.bareHttp = HttpLoad.Result.combine(bareRounds);
        say(String.format("  heartbeats: %,.0f/s answered 200, p50 %.1f ms, p99 %.1f ms, %d failed (%s)",
                figures.ingest.perSecond(), figures.ingest.p50(), figures.ingest.p99(), figures.ingest.failed(),
                figures.ingest.cpu()));
        say(String.format("  /health/live: %,.0f/s, p50 %.1f ms, p99 %.1f ms (%s)", figures.bareHttp.perSecond(),
                figures.bareHttp.p50(), figures.bareHttp.p99(), figures.bareHttp.cpu()));
    }

    private void measureOpenLoop(HttpLoad load, Fleet fleet, ChangeWatcher watcher, ServerProcess server, int nodes)
            throws InterruptedException {
        Duration duration = Duration.ofSeconds(quick ? 10 : 60);
        List<byte[]> heartbeats = HttpLoad.heartbeatRequests(server.baseUrl(), nodes);
        // The fleet's own heartbeats move to HTTP: the Kafka-side sender pauses and HTTP carries on
        // with the node that was due next, so every node keeps beating once per period or faster.
        ChangeWatcher.Scenario watch = watcher.begin(node -> false, 0);
        int first = fleet.pause();
        List<byte[]> ordered = new ArrayList<>(heartbeats.size());
        for (int i = 0; i < heartbeats.size(); i++) {
            ordered.add(heartbeats.get((first + i) % heartbeats.size()));
        }
        say(String.format("open loop: %,d heartbeats/s over HTTP for %,d nodes, %d s...", OPEN_LOOP_RATE, nodes,
                duration.toSeconds()));
        figures.openLoop = load.openLoop(ordered, OPEN_LOOP_RATE, duration, OPEN_LOOP_MAX_IN_FLIGHT);
        long sent = OPEN_LOOP_RATE * duration.toSeconds();
        fleet.resumeFrom((int) ((first + sent) % nodes));
        // Let the detector judge the last of those heartbeats before counting false alarms.
        Thread.sleep(quick ? 5_000 : NODE_TIMEOUT.toMillis());
        figures.openLoopNodes = nodes;
        figures.openLoopFalseTimeouts = watch.falseTimeouts.get();
        say(String.format("  %,.0f/s answered 200, p50 %.1f ms, p99 %.1f ms, max %.0f ms, %d failed, %d not sent,"
                        + " %d nodes timed out meanwhile (%s)", figures.openLoop.perSecond(), figures.openLoop.p50(),
                figures.openLoop.p99(), figures.openLoop.max(), figures.openLoop.failed(), figures.openLoop.notSent(),
                figures.openLoopFalseTimeouts, figures.openLoop.cpu()));
    }

    private Figures.Lag measureDetection(Fleet fleet, ChangeWatcher watcher, ServerProcess server, int nodes,
                                         Duration checkInterval) throws InterruptedException {
        int modulus = (int) Math.round(1 / SILENCED_SHARE);
        IntPredicate silenced = node -> node < nodes && node % modulus == modulus - 3;
        int expected = (int) java.util.stream.IntStream.range(0, nodes).filter(silenced).count();
        ChangeWatcher.Scenario scenario = watcher.begin(silenced, expected);
        CpuWindow.Meter cpu = new CpuWindow.Meter(server);
        fleet.silence(silenced);
        say(String.format("detection: %,d of %,d nodes fall silent (check interval %d s)...", expected, nodes,
                checkInterval.toSeconds()));
        long deadline = System.nanoTime() + NODE_TIMEOUT.plus(checkInterval).plusSeconds(60).toNanos();
        while (scenario.detected() < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Figures.Lag lag;
        synchronized (scenario) {
            lag = new Figures.Lag(nodes, checkInterval, scenario.decidedMillis.sorted(),
                    scenario.visibleMillis.sorted(), expected, scenario.falseTimeouts.get(), cpu.stop());
        }
        say(String.format("  detected %,d/%,d: lag p50 %d ms, p99 %d ms, max %d ms (visible to a consumer: p99 %d ms);"
                        + " %d false timeouts (%s)", lag.decided().length, expected,
                LongList.percentile(lag.decided(), 0.5), LongList.percentile(lag.decided(), 0.99),
                LongList.percentile(lag.decided(), 1.0), LongList.percentile(lag.visible(), 0.99),
                lag.falseTimeouts(), lag.cpu()));
        return lag;
    }

    private void measureBackOnline(HttpLoad load, AdminClient admin, ServerProcess server, int nodes,
                                   Figures.Lag lag) throws InterruptedException {
        int modulus = (int) Math.round(1 / SILENCED_SHARE);
        List<Integer> offline = new ArrayList<>();
        for (int node = modulus - 3; node < nodes && offline.size() < BACK_ONLINE_SAMPLES; node += modulus) {
            offline.add(node);
        }
        long[] millis = new long[offline.size()];
        AtomicInteger next = new AtomicInteger();
        say("back online: " + offline.size() + " offline nodes each send one heartbeat over HTTP...");
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 4; w++) {
                workers.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < offline.size()) {
                        millis[i] = backOnline(load, admin, server, offline.get(i));
                    }
                    return null;
                });
            }
        }
        java.util.Arrays.sort(millis);
        figures.backOnline = new Figures.BackOnline(nodes, millis);
        say(String.format("  p50 %d ms, p99 %d ms, max %d ms", LongList.percentile(millis, 0.5),
                LongList.percentile(millis, 0.99), millis[millis.length - 1]));
    }

    private long backOnline(HttpLoad load, AdminClient admin, ServerProcess server, int node)
            throws InterruptedException {
        String id = Fleet.nodeId(node);
        if (!admin.state(id).equals(Optional.of("offline"))) {
            throw new IllegalStateException(id + " should be offline before it beats again");
        }
        long started = System.nanoTime();
        if (!load.send(HttpLoad.heartbeatRequest(server.baseUrl(), node))) {
            throw new IllegalStateException("heartbeat of " + id + " was refused");
        }
        long deadline = started + Duration.ofSeconds(30).toNanos();
        while (!admin.state(id).equals(Optional.of("online"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(id + " not online 30 s after its heartbeat");
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - started) / 1_000_000;
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
