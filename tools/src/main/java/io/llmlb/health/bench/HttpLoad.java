package io.llmlb.health.bench;

import io.llmlb.health.agent.HeartbeatClient;
import io.llmlb.health.simulator.LatencyHistogram;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP load over HTTP/1.1 keep-alive connections ({@link KeepAliveConnection}): a closed loop (a
 * fixed number of clients, each sending its next request when the previous one is answered: the
 * most the server gives) and an open loop (requests at a fixed rate, latency counted from when
 * each was due, so a stalled server cannot hide its stall). Single requests whose outcome is
 * checked go through the JDK client.
 */
final class HttpLoad {

    /**
     * What one load phase measured.
     *
     * @param ok requests answered 2xx during the measured window
     * @param failed other answers and I/O errors
     * @param perSecond 2xx answers per second
     * @param latency latency of every answered request
     * @param notSent open loop only: requests not sent because too many were already waiting
     * @param cpu who used the CPU meanwhile
     */
    record Result(long ok, long failed, double perSecond, LatencyHistogram latency, long notSent, CpuWindow cpu) {

        double p50() {
            return latency.percentileMillis(0.50);
        }

        double p99() {
            return latency.percentileMillis(0.99);
        }

        double max() {
            return latency.max().toNanos() / 1e6;
        }

        /** Several measured windows as one: counts and latencies summed, rates and CPU averaged. */
        static Result combine(List<Result> parts) {
            LatencyHistogram latency = new LatencyHistogram();
            long ok = 0;
            long failed = 0;
            long notSent = 0;
            double perSecond = 0;
            double server = 0;
            double bench = 0;
            double others = 0;
            java.util.Map<String, Double> serverParts = new java.util.TreeMap<>();
            for (Result part : parts) {
                part.cpu().serverParts().forEach((name, cores) -> serverParts.merge(name, cores / parts.size(), Double::sum));
                latency.add(part.latency());
                ok += part.ok();
                failed += part.failed();
                notSent += part.notSent();
                perSecond += part.perSecond() / parts.size();
                server += part.cpu().server() / parts.size();
                bench += part.cpu().bench() / parts.size();
                others += part.cpu().others() / parts.size();
            }
            return new Result(ok, failed, perSecond, latency, notSent, new CpuWindow(server, bench, others, serverParts));
        }
    }

    private final HttpClient http = HeartbeatClient.newHttpClient();
    private final ServerProcess server;

    HttpLoad(ServerProcess server) {
        this.server = server;
    }

    /** {@code clients} senders, one keep-alive connection each, cycling through {@code requests}. */
    Result closedLoop(List<byte[]> requests, int clients, Duration warmUp, Duration measure)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        LatencyHistogram latency = new LatencyHistogram();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measure.toNanos();
        CpuWindow.Meter meter;
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                senders.submit(() -> {
                    try (KeepAliveConnection connection = connection()) {
                        while (true) {
                            long sentAt = System.nanoTime();
                            if (sentAt >= end) {
                                return;
                            }
                            byte[] request = requests.get(Math.floorMod(next.getAndIncrement(), requests.size()));
                            boolean success = exchange(connection, request);
                            long doneAt = System.nanoTime();
                            if (sentAt >= measureFrom && doneAt <= end) {
                                latency.recordNanos(doneAt - sentAt);
                                (success ? ok : failed).increment();
                            }
                        }
                    }
                });
            }
            LockSupport.parkNanos(Math.max(0, measureFrom - System.nanoTime()));
            meter = new CpuWindow.Meter(server);
            LockSupport.parkNanos(Math.max(0, end - System.nanoTime()));
        }
        CpuWindow cpu = meter.stop();
        return new Result(ok.sum(), failed.sum(), ok.sum() / (measure.toNanos() / 1e9), latency, 0, cpu);
    }

    /**
     * {@code perSecond} requests a second for {@code duration} over pooled keep-alive connections;
     * a request due while {@code maxInFlight} are waiting is not sent (and counted).
     */
    Result openLoop(List<byte[]> requests, int perSecond, Duration duration, int maxInFlight)
            throws InterruptedException {
        LatencyHistogram latency = new LatencyHistogram();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicLong inFlight = new AtomicLong();
        java.util.concurrent.ConcurrentLinkedQueue<KeepAliveConnection> pool = new java.util.concurrent.ConcurrentLinkedQueue<>();
        long notSent = 0;
        long total = perSecond * duration.toSeconds();
        double gapNanos = 1e9 / perSecond;
        CpuWindow.Meter meter = new CpuWindow.Meter(server);
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long k = 0; k < total; k++) {
                long due = start + (long) (k * gapNanos);
                long wait = due - System.nanoTime();
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait);
                }
                if (inFlight.get() >= maxInFlight) {
                    notSent++;
                    continue;
                }
                inFlight.incrementAndGet();
                byte[] request = requests.get((int) (k % requests.size()));
                senders.submit(() -> {
                    KeepAliveConnection connection = pool.poll();
                    try {
                        boolean success = exchange(connection == null ? (connection = connection()) : connection, request);
                        latency.recordNanos(System.nanoTime() - due);
                        (success ? ok : failed).increment();
                    } finally {
                        pool.add(connection);
                        inFlight.decrementAndGet();
                    }
                });
            }
        }
        CpuWindow cpu = meter.stop();
        pool.forEach(KeepAliveConnection::close);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(ok.sum(), failed.sum(), ok.sum() / seconds, latency, notSent, cpu);
    }

    private KeepAliveConnection connection() {
        return new KeepAliveConnection(server.baseUrl().getHost(), server.baseUrl().getPort());
    }

    private static boolean exchange(KeepAliveConnection connection, byte[] request) {
        try {
            return connection.exchange(request) / 100 == 2;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Sends the seed's example heartbeat of fleet node {@code index}; true when it was accepted (2xx). */
    boolean heartbeat(int index) {
        try {
            return new HeartbeatClient(server.baseUrl(), Duration.ofSeconds(30), http)
                    .send(Fleet.token(index), HeartbeatClient.seedExample(Fleet.nodeId(index))).ok();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Heartbeat requests (as bytes) for nodes {@code 0..count-1} of the fleet, built once and reused. */
    static List<byte[]> heartbeatRequests(java.net.URI baseUrl, int count) {
        List<byte[]> requests = new ArrayList<>(count);
        String host = baseUrl.getHost() + ":" + baseUrl.getPort();
        for (int i = 0; i < count; i++) {
            requests.add(KeepAliveConnection.request("POST", HeartbeatClient.PATH, host, new String[] {
                "Content-Type: application/json", HeartbeatClient.TOKEN_HEADER + ": " + Fleet.token(i)}, heartbeatBody(i)));
        }
        return requests;
    }

    /** {@code GET /health/live} as bytes: the bare-HTTP ceiling. */
    static byte[] liveRequest(java.net.URI baseUrl) {
        return KeepAliveConnection.request("GET", "/health/live", baseUrl.getHost() + ":" + baseUrl.getPort(),
                new String[0], null);
    }

    /** The seed's example heartbeat body for fleet node {@code index}, as the shared client writes it. */
    static String heartbeatBody(int index) {
        return new String(HeartbeatClient.json(HeartbeatClient.seedExample(Fleet.nodeId(index))), StandardCharsets.UTF_8);
    }
}
