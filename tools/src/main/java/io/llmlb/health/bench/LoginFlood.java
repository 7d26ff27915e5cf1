package io.llmlb.health.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The "login flood" row (issue 12, item 1): heartbeat latency with nobody logging in, then with
 * {@value #ATTACKERS} attackers sending failed logins as fast as they are answered, each with a
 * user name never seen before and, through the trusted-proxy header, a client address never seen
 * before (a botnet behind the gateway: the worst case, where the per-address throttle never
 * applies and only the bounded password-check pool protects the CPU). Same heartbeat load both times.
 */
final class LoginFlood {

    static final int ATTACKERS = 8;
    /** Heartbeats per second over HTTP while measuring: a modest load, so latency is service time. */
    static final int HEARTBEAT_RATE = 200;

    private LoginFlood() {
    }

    static Figures.LoginFlood measure(HttpLoad load, ServerProcess server, int nodes, boolean quick,
                                      Consumer<String> say) throws InterruptedException {
        Duration window = Duration.ofSeconds(quick ? 15 : 30);
        List<byte[]> heartbeats = HttpLoad.heartbeatRequests(server.baseUrl(), nodes);
        // A young JVM is still compiling: warm both paths up before anything is measured.
        say.accept("login flood: warming up heartbeats and logins for 15 s...");
        load.openLoop(heartbeats, HEARTBEAT_RATE, Duration.ofSeconds(10), HEARTBEAT_RATE);
        flood(server, Duration.ofSeconds(5), new ConcurrentHashMap<>());
        // Quiet before and after the flood, so a busy moment of the shared machine weighs on both sides.
        say.accept(String.format("  heartbeats at %d/s over HTTP: %d s quiet, %d s under %d attackers, %d s quiet...",
                HEARTBEAT_RATE, window.toSeconds(), window.toSeconds(), ATTACKERS, window.toSeconds()));
        HttpLoad.Result before = load.openLoop(heartbeats, HEARTBEAT_RATE, window, HEARTBEAT_RATE);
        Map<Integer, LongAdder> answers = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        HttpLoad.Result flooded;
        long started = System.nanoTime();
        try (ExecutorService attackers = Executors.newFixedThreadPool(ATTACKERS)) {
            for (int a = 0; a < ATTACKERS; a++) {
                int attacker = a;
                attackers.submit(() -> attack(server, 1, attacker, stop, answers));
            }
            flooded = load.openLoop(heartbeats, HEARTBEAT_RATE, window, HEARTBEAT_RATE);
            stop.set(true);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        HttpLoad.Result after = load.openLoop(heartbeats, HEARTBEAT_RATE, window, HEARTBEAT_RATE);
        HttpLoad.Result quiet = HttpLoad.Result.combine(List.of(before, after));
        Map<Integer, Long> byStatus = new TreeMap<>();
        answers.forEach((status, count) -> byStatus.put(status, count.sum()));
        long logins = byStatus.values().stream().mapToLong(Long::longValue).sum();
        say.accept(String.format("  quiet: p50 %.1f ms, p99 %.1f ms (before %.1f, after %.1f), %d failed", quiet.p50(),
                quiet.p99(), before.p99(), after.p99(), quiet.failed()));
        say.accept(String.format("  flooded: p50 %.1f ms, p99 %.1f ms, %d failed; logins answered %.0f/s %s",
                flooded.p50(), flooded.p99(), flooded.failed(), logins / seconds, byStatus));
        return new Figures.LoginFlood(nodes, HEARTBEAT_RATE, ATTACKERS, quiet, flooded, logins / seconds, byStatus);
    }

    /** {@value #ATTACKERS} attackers for {@code duration}. */
    private static void flood(ServerProcess server, Duration duration, Map<Integer, LongAdder> answers)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        try (ExecutorService attackers = Executors.newFixedThreadPool(ATTACKERS)) {
            for (int a = 0; a < ATTACKERS; a++) {
                int attacker = a;
                attackers.submit(() -> attack(server, 0, attacker, stop, answers));
            }
            Thread.sleep(duration.toMillis()); // the flood lasts this long by design; the attackers run meanwhile
            stop.set(true);
        }
    }

    /** One attacker of flood {@code round}: every user name and address it sends is new. */
    private static void attack(ServerProcess server, int round, int attacker, AtomicBoolean stop,
                               Map<Integer, LongAdder> answers) {
        String host = server.baseUrl().getHost() + ":" + server.baseUrl().getPort();
        KeepAliveConnection connection = new KeepAliveConnection(server.baseUrl().getHost(), server.baseUrl().getPort());
        try {
            for (long n = 0; !stop.get(); n++) {
                String body = "{\"username\":\"flood-" + round + "-" + attacker + "-" + n
                        + "\",\"password\":\"guess-" + n + "\"}";
                String address = "10." + (round * ATTACKERS + attacker) + "." + (n / 256 % 256) + "." + (n % 256);
                byte[] request = KeepAliveConnection.request("POST", "/v0/auth/login", host, new String[] {
                    "Content-Type: application/json", "X-Forwarded-For: " + address}, body);
                int status;
                try {
                    status = connection.exchange(request);
                } catch (Exception e) {
                    status = -1;
                    connection.close();
                    connection = new KeepAliveConnection(server.baseUrl().getHost(), server.baseUrl().getPort());
                }
                answers.computeIfAbsent(status, s -> new LongAdder()).increment();
            }
        } finally {
            connection.close();
        }
    }
}
