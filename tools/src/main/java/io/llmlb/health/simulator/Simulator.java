package io.llmlb.health.simulator;

import io.llmlb.health.agent.HeartbeatBody;
import io.llmlb.health.agent.HeartbeatClient;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.SystemMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A fleet of simulated nodes against a running server: registers and approves them, then each
 * beats once per interval at its own random phase with ±10 % jitter, on virtual threads with a
 * bounded number of requests in flight (when the server slows down, the fleet waits rather than
 * piling up requests). With {@code --fail}, a random share of nodes falls silent for {@code --down}
 * and then revives while another share dies. One console line shows the progress.
 */
public final class Simulator {

    private static final Duration DISPLAY_EVERY = Duration.ofSeconds(1);
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final Duration POLL_SERVER_EVERY = Duration.ofSeconds(3);
    private static final int REGISTRATION_PARALLELISM = 32;

    /** One scheduled heartbeat. */
    private record Beat(long dueNanos, int node) {
    }

    private final SimulatorOptions options;
    private final PrintStream out;
    private final HttpClient http;
    private final HeartbeatClient heartbeats;
    private final ProgressLine line;
    private final SplittableRandom random = new SplittableRandom();
    private final LongAdder sent = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> failureKinds = new ConcurrentHashMap<>();
    private final LatencyHistogram overall = new LatencyHistogram();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile LatencyHistogram window = new LatencyHistogram();
    private volatile LatencyHistogram lastWindow;
    private volatile boolean stopping;
    private volatile String serverStates = "server: ...";
    private AtomicReferenceArray<String> tokens;
    private FleetRegistrar registrar;
    private volatile long registeredAt;
    private volatile RuntimeException registrationFailure;
    private boolean[] killed;
    private int killedCount;
    private AtomicLongArray notBefore;

    public Simulator(SimulatorOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.line = new ProgressLine(out);
        this.http = HeartbeatClient.newHttpClient();
        this.heartbeats = new HeartbeatClient(options.baseUrl(), Duration.ofSeconds(10), http);
    }

    /**
     * Registers the fleet and heartbeats it until the duration (counted from when the whole fleet
     * is registered) is over or {@link #stop()} is called. Each node starts beating as soon as it
     * is approved, so early nodes do not time out while the rest of a large fleet registers.
     */
    public void run() throws InterruptedException {
        try {
            AdminClient admin = new AdminClient(options.baseUrl(), http)
                    .login(options.adminUser(), options.adminPassword());
            tokens = new AtomicReferenceArray<>(options.nodes());
            killed = new boolean[options.nodes()];
            notBefore = new AtomicLongArray(options.nodes());
            registrar = new FleetRegistrar(admin, REGISTRATION_PARALLELISM);
            Thread registration = Thread.ofPlatform().name("simulator-registration").start(() -> register());
            Thread poller = Thread.ofVirtual().name("simulator-server-poll").start(() -> pollServer(admin));
            try {
                heartbeatLoop();
            } finally {
                stopping = true;
                poller.interrupt();
                if (registeredAt == 0) {
                    registration.interrupt();
                }
                registration.join(15_000);
            }
            line.finish();
            if (registrationFailure != null) {
                throw registrationFailure;
            }
            out.println(summary());
        } finally {
            finished.countDown();
        }
    }

    private void register() {
        long started = System.nanoTime();
        try {
            registrar.registerAndApprove(options.nodes(), options::nodeId, tokens);
            registeredAt = System.nanoTime();
            line.message(String.format("%,d nodes registered and approved in %.1f s; each beats every %s s%s",
                    options.nodes(), (registeredAt - started) / 1e9, seconds(options.interval()),
                    options.failFraction() > 0 ? String.format(", %.0f%% killed at a time for %s s",
                            options.failFraction() * 100, seconds(options.downTime())) : ""));
        } catch (RuntimeException e) {
            registrationFailure = e;
            stopping = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** Asks the run to end; returns once the summary is printed (or after 15 s). */
    public void stop() {
        stopping = true;
        try {
            finished.await(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void heartbeatLoop() throws InterruptedException {
        long intervalNanos = options.interval().toNanos();
        long start = System.nanoTime();
        PriorityQueue<Beat> schedule = new PriorityQueue<>(options.nodes(),
                (a, b) -> Long.compare(a.dueNanos(), b.dueNanos()));
        for (int node = 0; node < options.nodes(); node++) {
            schedule.add(new Beat(start + random.nextLong(intervalNanos), node));
        }
        long nextDisplay = start + DISPLAY_EVERY.toNanos();
        long nextWindow = start + WINDOW.toNanos();
        long end = Long.MAX_VALUE;
        long nextChurn = Long.MAX_VALUE;
        Semaphore inFlight = new Semaphore(options.concurrency());
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            while (!stopping) {
                long now = System.nanoTime();
                if (end == Long.MAX_VALUE && registeredAt != 0) {
                    // The whole fleet is in: the duration runs from now, and the first deaths come
                    // once every node has beaten at least once.
                    end = options.duration() == null ? Long.MAX_VALUE - 1 : registeredAt + options.duration().toNanos();
                    nextChurn = options.failFraction() > 0 ? registeredAt + 2 * intervalNanos : Long.MAX_VALUE;
                }
                if (now >= end) {
                    break;
                }
                if (now >= nextWindow) {
                    lastWindow = window;
                    window = new LatencyHistogram();
                    nextWindow += WINDOW.toNanos();
                }
                if (now >= nextDisplay) {
                    line.show(status(now - start));
                    nextDisplay += DISPLAY_EVERY.toNanos();
                }
                if (now >= nextChurn) {
                    churn();
                    nextChurn += options.downTime().toNanos();
                }
                Beat beat = schedule.peek();
                if (beat.dueNanos() > now) {
                    long wake = Math.min(Math.min(beat.dueNanos(), nextDisplay), Math.min(nextChurn, end));
                    LockSupport.parkNanos(Math.max(0, Math.min(wake, now + 200_000_000L) - now));
                    continue;
                }
                schedule.poll();
                // A fleet that fell behind (slow server) resumes its rhythm rather than bursting to catch up.
                long base = now - beat.dueNanos() > intervalNanos ? now : beat.dueNanos();
                long jitter = (long) ((random.nextDouble() - 0.5) * 0.2 * intervalNanos);
                schedule.add(new Beat(base + intervalNanos + jitter, beat.node()));
                int node = beat.node();
                String token = tokens.get(node);
                if (token == null || killed[node] || now < notBefore.get(node)) {
                    continue;
                }
                inFlight.acquire();
                senders.submit(() -> {
                    try {
                        send(node, token);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
    }

    private void churn() {
        for (int node = 0; node < killed.length; node++) {
            killed[node] = false;
        }
        killedCount = (int) Math.round(options.failFraction() * options.nodes());
        int chosen = 0;
        while (chosen < killedCount) {
            int node = random.nextInt(options.nodes());
            if (!killed[node]) {
                killed[node] = true;
                chosen++;
            }
        }
    }

    private void send(int node, String token) {
        HeartbeatBody body = body(options.nodeId(node));
        long started = System.nanoTime();
        sent.increment();
        try {
            HeartbeatClient.Answer answer = heartbeats.send(token, body);
            long elapsed = System.nanoTime() - started;
            overall.recordNanos(elapsed);
            window.recordNanos(elapsed);
            if (answer.ok()) {
                succeeded.increment();
                return;
            }
            failure(String.valueOf(answer.status()));
            if (answer.verdict() == HeartbeatClient.Verdict.BUSY) {
                // A simulated node honours Retry-After like the real agent does.
                Duration wait = answer.retryAfter() == null ? Duration.ofSeconds(1) : answer.retryAfter();
                notBefore.set(node, System.nanoTime() + wait.toNanos());
            }
        } catch (IOException e) {
            failure(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failure(String kind) {
        failed.increment();
        failureKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    private void pollServer(AdminClient admin) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Map<String, Integer> counts = admin.stateCounts();
                serverStates = String.format("server: online %,d  offline %,d  pending %,d",
                        counts.getOrDefault("online", 0), counts.getOrDefault("offline", 0),
                        counts.getOrDefault("pending", 0));
            } catch (RuntimeException e) {
                serverStates = "server: ? (" + e.getMessage() + ")";
            }
            try {
                // The progress line refreshes the server's counts at this pace; nothing waits on Kafka here.
                Thread.sleep(POLL_SERVER_EVERY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String status(long elapsedNanos) {
        LatencyHistogram recent = lastWindow != null ? lastWindow : window;
        long seconds = elapsedNanos / 1_000_000_000L;
        String registering = registeredAt == 0
                ? String.format("registered %,d/%,d | ", registrar.approved(), options.nodes()) : "";
        return String.format("[%02d:%02d] %ssent %,d  2xx %,d  errors %,d  p99 %.1f ms  | killed %,d | %s",
                seconds / 60, seconds % 60, registering, sent.sum(), succeeded.sum(), failed.sum(),
                recent.percentileMillis(0.99), killedCount, serverStates);
    }

    private String summary() {
        Map<String, Long> kinds = new TreeMap<>();
        failureKinds.forEach((kind, count) -> kinds.put(kind, count.sum()));
        return String.format("done: sent %,d, 2xx %,d, errors %,d%s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                sent.sum(), succeeded.sum(), failed.sum(), kinds.isEmpty() ? "" : " " + kinds,
                overall.percentileMillis(0.5), overall.percentileMillis(0.99), overall.max().toNanos() / 1e6);
    }

    /** The seed's heartbeat with random figures (one decimal, as a real node reports them). */
    private static HeartbeatBody body(String nodeId) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new HeartbeatBody(nodeId,
                new GpuMetrics(tenths(random.nextDouble(100)), tenths(random.nextDouble(100)),
                        tenths(30 + random.nextDouble(60))),
                new SystemMetrics(tenths(random.nextDouble(100)), tenths(random.nextDouble(100))),
                random.nextInt(8), List.of("llama-3.2-1b"));
    }

    private static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String seconds(Duration duration) {
        double value = duration.toMillis() / 1000.0;
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    /** Heartbeats sent so far. */
    public long sent() {
        return sent.sum();
    }

    /** Heartbeats answered 2xx so far. */
    public long succeeded() {
        return succeeded.sum();
    }

    /** Heartbeats that failed so far. */
    public long failed() {
        return failed.sum();
    }
}
