package io.llmlb.health.bench;

import io.llmlb.health.kafka.KafkaClientConfig;
import io.llmlb.health.simulator.AdminClient;
import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/** One standalone of the run, its fleet and the measurements its {@link ServerPlan} asks for. */
final class ServerSession implements AutoCloseable {

    /** Registrations go in chunks the detector takes in well under a timeout. */
    private static final int REGISTRATION_CHUNK = 10_000;

    private final ServerPlan plan;
    private final boolean quick;
    private final Figures figures;
    private final Consumer<String> say;
    private final ServerProcess server;
    private final Fleet fleet;
    private final ChangeWatcher watcher;
    private final AdminClient admin;
    private final HttpLoad load;
    private final boolean perNodeMetrics;

    private ServerSession(ServerPlan plan, boolean quick, Figures figures, Consumer<String> say, ServerProcess server,
                          boolean perNodeMetrics) {
        this.plan = plan;
        this.perNodeMetrics = perNodeMetrics;
        this.quick = quick;
        this.figures = figures;
        this.say = say;
        this.server = server;
        Topics topics = new Topics(Topics.DEFAULT_PREFIX);
        // The bench's server runs its own embedded broker, plaintext on loopback, with a clean
        // environment: the operator's client settings (LLMLB_KAFKA_CONFIG) do not apply to it.
        this.fleet = new Fleet(server.bootstrap(), KafkaClientConfig.none(), topics, plan.fleetPeriod());
        this.watcher = new ChangeWatcher(server.bootstrap(), KafkaClientConfig.none(), topics, plan.nodeTimeout());
        this.admin = new AdminClient(server.baseUrl()).login("admin", "test");
        this.load = new HttpLoad(server);
    }

    static ServerSession start(ServerPlan plan, Path dataDir, boolean quick, Figures figures, Consumer<String> say,
                               boolean perNodeMetrics) throws InterruptedException {
        say.accept(String.format("server %s: starting a standalone in a child JVM (check interval %s s, timeout %d s;"
                        + " fleet heartbeat period %d s) on %s", plan.name(), EnvReader.plainSeconds(plan.checkInterval()),
                plan.nodeTimeout().toSeconds(), plan.fleetPeriod().toSeconds(), dataDir));
        ServerProcess server = ServerProcess.start(dataDir, plan.nodeTimeout(), plan.checkInterval(), "4g",
                perNodeMetrics);
        try {
            return new ServerSession(plan, quick, figures, say, server, perNodeMetrics);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** {@code ./llmlb-health bench --detection}: sweeps against fleet size, steady and mass expiry; returns the report. */
    String measureDetectionSpeed(double silentShare, int massExpiryRuns) throws InterruptedException {
        DetectionSpeed detection = new DetectionSpeed(this, plan, server, fleet, watcher, admin, say, silentShare);
        return massExpiryRuns > 0 ? detection.measureMassExpiryOnly(massExpiryRuns) : detection.measure();
    }

    void measure() throws InterruptedException {
        if (plan.memoryAndListing()) {
            measureMemory(0);
        }
        try (ServicesAlone alone = plan.servicesAlone() ? ServicesAlone.start(server, plan, say) : null) {
            measureFleet(alone);
        }
        figures.fleetBehindMillis = Math.max(figures.fleetBehindMillis, fleet.worstBehindMillis());
        figures.detectorEvents += watcher.detectorEvents();
    }

    private void measureFleet(ServicesAlone alone) throws InterruptedException {
        fleet.startHeartbeats();
        for (int nodes : plan.sizes()) {
            grow(nodes);
            // Every node beats once before anything is measured, so each state holds the latest
            // metrics like a real node's, and each silenced node has a last_seen to count from.
            Thread.sleep(plan.fleetPeriod().plusSeconds(1).toMillis());
            if (plan.memoryAndListing()) {
                measureMemory(nodes);
                if (alone != null) {
                    figures.servicesAlone.addAll(alone.measure(nodes));
                }
                measureListing(nodes);
            }
            if (plan.ingestCeiling() && nodes == plan.sizes().getFirst()) {
                measureIngestCeiling(nodes);
            }
            if (plan.loginFlood() && nodes == plan.sizes().getFirst()) {
                figures.loginFlood = LoginFlood.measure(load, server, nodes, quick, say);
            }
            if (plan.detection()) {
                measureDetection(nodes);
            }
            if (plan.backOnline() && nodes == plan.sizes().getLast()) {
                measureBackOnline(nodes);
            }
            fleet.silence(node -> false);
            if (plan.openLoop() && nodes == plan.sizes().getLast()) {
                measureOpenLoop(nodes);
            }
        }
    }

    void grow(int nodes) throws InterruptedException {
        long started = System.nanoTime();
        for (int chunkEnd = Math.min(nodes, fleet.size() + REGISTRATION_CHUNK); ;
                chunkEnd = Math.min(nodes, chunkEnd + REGISTRATION_CHUNK)) {
            fleet.register(chunkEnd);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (watcher.approvals() < chunkEnd) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + watcher.approvals() + " of " + chunkEnd
                            + " registrations reached the detector within 2 minutes");
                }
                // Polling with a deadline (checked above): the bench measures how long this takes.
                Thread.sleep(50);
            }
            fleet.activate(chunkEnd);
            if (chunkEnd == nodes) {
                break;
            }
        }
        say.accept(String.format("fleet of %,d registered through Kafka and online at the detector in %.1f s", nodes,
                (System.nanoTime() - started) / 1e9));
    }

    private void measureMemory(int nodes) throws InterruptedException {
        Map<String, Long> classes = server.classHistogram();
        long[] heap = server.heapAfterGc();
        Figures.Memory memory = new Figures.Memory(plan.name(), nodes, heap[0], heap[1], server.residentBytes(), classes);
        figures.memory.add(memory);
        say.accept(String.format("memory at %,d nodes: heap %s after GC, RSS %s", nodes, Bench.mib(memory.heapBytes()),
                Bench.mib(memory.residentBytes())));
    }

    private void measureListing(int nodes) {
        boolean large = nodes >= 100_000;
        // 20 even at 100,000 nodes (about 10 s): with 5, one slow list was the p99 (figure 10i).
        measureRead(nodes, "/v0/nodes", Bench.LISTING_SAMPLES);
        // One page of a big fleet, as the dashboard asks for it: cheap, so sampled more.
        measureRead(nodes, "/v0/nodes?limit=500", Bench.LISTING_SAMPLES * 5);
        if (perNodeMetrics && !large) {
            measureRead(nodes, "/metrics", Bench.LISTING_SAMPLES);
        }
    }

    /** Untimed requests before each read is timed (listings, a page, {@code /metrics}). */
    private static final Duration READ_WARM_UP = Duration.ofSeconds(2);

    /**
     * Time to the answer's last byte, as {@code curl -o /dev/null} sees it: one keep-alive
     * connection that reads each body without decoding it. Until 2026-12-03 this timed the JDK
     * client turning the whole body into a String, which for a 41 MiB list cost more than the
     * server's work (docs/benchmarks.md, figure 10g).
     */
    private void measureRead(int nodes, String request, int samples) {
        HttpResponse<String> first = admin.get(request); // the answer's size
        if (first.statusCode() != 200) {
            throw new IllegalStateException("GET " + request + " answered " + first.statusCode());
        }
        long bytes = first.body().length();
        URI base = server.baseUrl();
        byte[] raw = KeepAliveConnection.request("GET", request, base.getHost() + ":" + base.getPort(),
                new String[] {"Authorization: Bearer " + admin.token()}, null);
        long[] millis = new long[samples];
        try (KeepAliveConnection connection = new KeepAliveConnection(base.getHost(), base.getPort())) {
            // As for ingest, a young JVM is still compiling the path: untimed requests first, as
            // a query API that serves dashboards all day has run it long before.
            long warmUpEnds = System.nanoTime() + READ_WARM_UP.toNanos();
            while (System.nanoTime() < warmUpEnds) {
                connection.exchange(raw);
            }
            for (int i = 0; i < millis.length; i++) {
                long started = System.nanoTime();
                int status = connection.exchange(raw);
                millis[i] = (System.nanoTime() - started) / 1_000_000;
                if (status != 200) {
                    throw new IllegalStateException("GET " + request + " answered " + status);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + request, e);
        }
        Arrays.sort(millis);
        figures.listings.add(new Figures.Listing(nodes, request, millis, bytes));
        say.accept(String.format("GET %s at %,d nodes: p50 %d ms, p99 %d ms, max %d ms, %s", request, nodes,
                LongList.percentile(millis, 0.5), LongList.percentile(millis, 0.99), millis[millis.length - 1],
                Bench.mib(bytes)));
    }

    private void measureIngestCeiling(int nodes) throws InterruptedException {
        List<byte[]> heartbeats = HttpLoad.heartbeatRequests(server.baseUrl(), nodes);
        byte[] live = HttpLoad.liveRequest(server.baseUrl());
        int clients = Bench.CLOSED_LOOP_CLIENTS;
        // A young JVM is still compiling its hot paths: give the JIT a head start on both endpoints.
        Duration jitWarmUp = Duration.ofSeconds(quick ? 8 : 20);
        say.accept("warming up the server's JIT for " + jitWarmUp.toSeconds() + " s...");
        load.closedLoop(heartbeats, clients, jitWarmUp.dividedBy(2), Duration.ofMillis(1));
        load.closedLoop(List.of(live), clients, jitWarmUp.dividedBy(2), Duration.ofMillis(1));
        // Heartbeats and the bare endpoint take turns, so background load on a shared machine
        // weighs on both alike instead of on whichever ran during a busy moment.
        int rounds = quick ? 2 : 3;
        Duration warmUp = Duration.ofSeconds(quick ? 2 : 5);
        Duration measure = Duration.ofSeconds(quick ? 5 : 10);
        say.accept(String.format("ingest vs bare HTTP: %d clients, %d rounds of %d s on POST /v0/health then on"
                + " GET /health/live...", clients, rounds, measure.toSeconds()));
        List<HttpLoad.Result> ingestRounds = new ArrayList<>();
        List<HttpLoad.Result> bareRounds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            ingestRounds.add(load.closedLoop(heartbeats, clients, warmUp, measure));
            bareRounds.add(load.closedLoop(List.of(live), clients, warmUp, measure));
        }
        figures.ingest = HttpLoad.Result.combine(ingestRounds);
        figures.bareHttp = HttpLoad.Result.combine(bareRounds);
        say.accept(String.format("  heartbeats: %,.0f/s answered 200, p50 %.1f ms, p99 %.1f ms, %d failed (%s)",
                figures.ingest.perSecond(), figures.ingest.p50(), figures.ingest.p99(), figures.ingest.failed(),
                figures.ingest.cpu()));
        say.accept(String.format("  /health/live: %,.0f/s, p50 %.1f ms, p99 %.1f ms (%s)",
                figures.bareHttp.perSecond(), figures.bareHttp.p50(), figures.bareHttp.p99(), figures.bareHttp.cpu()));
    }

    /** The steady scenario: every tenth node falls silent at its own phase; the lags go to the figures too. */
    Figures.Lag measureDetection(int nodes) throws InterruptedException {
        int modulus = (int) Math.round(1 / Bench.SILENCED_SHARE);
        IntPredicate silenced = node -> node < nodes && node % modulus == modulus - 3;
        int expected = (int) IntStream.range(0, nodes).filter(silenced).count();
        ChangeWatcher.Scenario scenario = watcher.begin(silenced, expected);
        CpuWindow.Meter cpu = new CpuWindow.Meter(server);
        fleet.silence(silenced);
        say.accept(String.format("detection: %,d of %,d nodes fall silent (check interval %s s)...", expected, nodes,
                EnvReader.plainSeconds(plan.checkInterval())));
        long deadline = System.nanoTime()
                + plan.nodeTimeout().plus(plan.checkInterval()).plusSeconds(60).toNanos();
        while (scenario.detected() < expected && System.nanoTime() < deadline) {
            // Polling with a deadline (checked above): the bench measures how long this takes.
            Thread.sleep(100);
        }
        Figures.Lag lag;
        synchronized (scenario) {
            lag = new Figures.Lag(nodes, plan.checkInterval(), plan.fleetPeriod(), plan.nodeTimeout(),
                    scenario.decidedMillis.sorted(), scenario.visibleMillis.sorted(), expected,
                    scenario.falseTimeouts.get(), cpu.stop());
        }
        figures.lags.add(lag);
        say.accept(String.format("  detected %,d/%,d: lag p50 %d ms, p99 %d ms, max %d ms (visible to a consumer:"
                        + " p99 %d ms); %d false timeouts (%s)", lag.decided().length, expected,
                LongList.percentile(lag.decided(), 0.5), LongList.percentile(lag.decided(), 0.99),
                LongList.percentile(lag.decided(), 1.0), LongList.percentile(lag.visible(), 0.99),
                lag.falseTimeouts(), lag.cpu()));
        return lag;
    }

    private void measureBackOnline(int nodes) throws InterruptedException {
        int modulus = (int) Math.round(1 / Bench.SILENCED_SHARE);
        List<Integer> offline = new ArrayList<>();
        for (int node = modulus - 3; node < nodes && offline.size() < Bench.BACK_ONLINE_SAMPLES; node += modulus) {
            offline.add(node);
        }
        long[] millis = new long[offline.size()];
        AtomicInteger next = new AtomicInteger();
        say.accept("back online: " + offline.size() + " offline nodes each send one heartbeat over HTTP...");
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 4; w++) {
                workers.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < offline.size()) {
                        millis[i] = backOnline(offline.get(i));
                    }
                    return null;
                });
            }
        }
        Arrays.sort(millis);
        figures.backOnline = new Figures.BackOnline(nodes, millis);
        say.accept(String.format("  p50 %d ms, p99 %d ms, max %d ms", LongList.percentile(millis, 0.5),
                LongList.percentile(millis, 0.99), millis[millis.length - 1]));
    }

    private long backOnline(int node) throws InterruptedException {
        String id = Fleet.nodeId(node);
        if (!admin.state(id).equals(Optional.of("offline"))) {
            throw new IllegalStateException(id + " should be offline before it beats again");
        }
        long started = System.nanoTime();
        if (!load.heartbeat(node)) {
            throw new IllegalStateException("heartbeat of " + id + " was refused");
        }
        long deadline = started + Duration.ofSeconds(30).toNanos();
        while (!admin.state(id).equals(Optional.of("online"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(id + " not online 30 s after its heartbeat");
            }
            // Polling with a deadline (checked above): the bench measures how long this takes.
            Thread.sleep(5);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private void measureOpenLoop(int nodes) throws InterruptedException {
        Duration duration = Duration.ofSeconds(quick ? 10 : 60);
        List<byte[]> heartbeats = HttpLoad.heartbeatRequests(server.baseUrl(), nodes);
        // The fleet's own heartbeats move to HTTP: the Kafka-side sender pauses and HTTP carries on
        // with the node that was due next, so no node waits longer than a period.
        ChangeWatcher.Scenario watch = watcher.begin(node -> false, 0);
        int first = fleet.pause();
        List<byte[]> ordered = new ArrayList<>(heartbeats.size());
        for (int i = 0; i < heartbeats.size(); i++) {
            ordered.add(heartbeats.get((first + i) % heartbeats.size()));
        }
        say.accept(String.format("open loop: %,d heartbeats/s over HTTP for %,d nodes, %d s...", Bench.OPEN_LOOP_RATE,
                nodes, duration.toSeconds()));
        figures.openLoop = load.openLoop(ordered, Bench.OPEN_LOOP_RATE, duration, Bench.OPEN_LOOP_MAX_IN_FLIGHT);
        // Requests not sent were skipped in order, so the loop ended at the same node either way.
        long due = Bench.OPEN_LOOP_RATE * duration.toSeconds();
        fleet.resumeFrom((int) ((first + due) % nodes));
        // Let the detector judge the last of those heartbeats before counting false alarms.
        Thread.sleep(quick ? 3_000 : plan.nodeTimeout().toMillis());
        figures.openLoopNodes = nodes;
        figures.openLoopFalseTimeouts = watch.falseTimeouts.get();
        say.accept(String.format("  %,.0f/s answered 200, p50 %.1f ms, p99 %.1f ms, max %.0f ms, %d failed, %d not"
                        + " sent, %d nodes timed out meanwhile (%s)", figures.openLoop.perSecond(),
                figures.openLoop.p50(), figures.openLoop.p99(), figures.openLoop.max(), figures.openLoop.failed(),
                figures.openLoop.notSent(), figures.openLoopFalseTimeouts, figures.openLoop.cpu()));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            fleet.close();
            watcher.close();
        } finally {
            server.close();
        }
    }
}
