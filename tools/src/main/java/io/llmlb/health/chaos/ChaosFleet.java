package io.llmlb.health.chaos;

import io.llmlb.health.agent.HeartbeatBody;
import io.llmlb.health.agent.HeartbeatClient;
import io.llmlb.health.simulator.AdminClient;
import io.llmlb.health.simulator.FleetRegistrar;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The simulated fleet: registered and approved through the simulator's {@link FleetRegistrar},
 * then one virtual thread per node beats every period (±10 % jitter) through the gateway, as the
 * agent does: after a 503 or 429 it waits for Retry-After, after a connection failure one second.
 * Every answer goes into the {@link Ledger}. Nodes can be silenced (they stop sending) and the
 * whole fleet paused for a moment (to read settled counts).
 */
final class ChaosFleet implements AutoCloseable {

    private static final int REGISTRATION_PARALLELISM = 16;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** How often a paused, silenced or not yet approved node looks whether it may beat again. */
    private static final Duration HELD_NODE_RECHECK = Duration.ofMillis(200);

    private final URI gateway;
    private final List<String> nodeIds;
    private final Duration period;
    private final Ledger ledger;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final HeartbeatClient heartbeats;
    private final AtomicReferenceArray<String> tokens;
    private final boolean[] silenced;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final SplittableRandom random = new SplittableRandom(42);
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean paused;
    private volatile boolean running = true;

    ChaosFleet(URI gateway, List<String> nodeIds, Duration period) {
        this.gateway = gateway;
        this.nodeIds = nodeIds;
        this.period = period;
        this.ledger = new Ledger(nodeIds.size());
        this.tokens = new AtomicReferenceArray<>(nodeIds.size());
        this.silenced = new boolean[nodeIds.size()];
        this.heartbeats = new HeartbeatClient(gateway, REQUEST_TIMEOUT, http);
    }

    Ledger ledger() {
        return ledger;
    }

    int size() {
        return nodeIds.size();
    }

    String nodeId(int node) {
        return nodeIds.get(node);
    }

    void registerAndApprove(AdminClient admin) throws InterruptedException {
        new FleetRegistrar(admin, REGISTRATION_PARALLELISM).registerAndApprove(nodeIds.size(), nodeIds::get, tokens);
    }

    void start() {
        for (int node = 0; node < nodeIds.size(); node++) {
            int index = node;
            senders.add(Thread.ofVirtual().name("node-" + node).start(() -> beat(index)));
        }
    }

    /** Silences {@code count} nodes that are beating now, chosen at random; returns them. */
    synchronized List<Integer> silence(int count) {
        List<Integer> chosen = new ArrayList<>();
        while (chosen.size() < count) {
            int node = random.nextInt(nodeIds.size());
            if (!silenced[node]) {
                silenced[node] = true;
                chosen.add(node);
            }
        }
        return chosen;
    }

    synchronized void resume(List<Integer> nodes) {
        nodes.forEach(node -> silenced[node] = false);
    }

    synchronized boolean isSilenced(int node) {
        return silenced[node];
    }

    /** Stops sending (requests already sent finish); returns once none is in flight. */
    void pause() throws InterruptedException {
        paused = true;
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos() + 1_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling the in-flight count of our own senders, not waiting for Kafka
        }
    }

    void unpause() {
        paused = false;
    }

    private void beat(int node) {
        // Spread the first beats over one period, like nodes that started at different times.
        long next = System.currentTimeMillis() + ThreadLocalRandom.current().nextLong(period.toMillis());
        while (running) {
            long now = System.currentTimeMillis();
            // A node beats from the moment it is approved, so early ones do not time out while the
            // rest of the fleet registers.
            if (now < next) {
                // Asleep until its next beat: a node that woke every 200 ms to look at its state
                // cost the driver half a core at 300 nodes, taken from the stack it measures.
                pace(next - now);
                continue;
            }
            if (paused || isSilenced(node)) {
                ledger.stoppedSending(node, now);
            }
            if (paused || isSilenced(node) || tokens.get(node) == null) {
                pace(HELD_NODE_RECHECK.toMillis());
                continue;
            }
            next = System.currentTimeMillis() + send(node).toMillis();
        }
    }

    /** Sends one heartbeat and returns how long to wait before the next. */
    private Duration send(int node) {
        // The smallest heartbeat the seed allows: the node id and one figure.
        HeartbeatBody body = new HeartbeatBody(nodeIds.get(node), null, null, 1, null);
        inFlight.incrementAndGet();
        ledger.sent(node, System.currentTimeMillis());
        try {
            HeartbeatClient.Answer answer = heartbeats.send(tokens.get(node), body);
            long now = System.currentTimeMillis();
            if (answer.status() == 200) {
                ledger.ok(node, now);
                long jitter = (long) ((ThreadLocalRandom.current().nextDouble() - 0.5) * 0.2 * period.toMillis());
                return period.plusMillis(jitter);
            }
            ledger.failed(node, now, String.valueOf(answer.status()));
            long retryAfter = answer.retryAfter() == null ? 1 : answer.retryAfter().toSeconds();
            return Duration.ofSeconds(Math.max(1, Math.min(retryAfter, 5)));
        } catch (IOException e) {
            ledger.failed(node, System.currentTimeMillis(), e instanceof java.net.http.HttpTimeoutException
                    ? "timeout" : "connection");
            return Duration.ofSeconds(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return Duration.ZERO;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void pace(long millis) {
        try {
            Thread.sleep(millis); // a node's own rhythm between heartbeats
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread sender : senders) {
            sender.interrupt();
        }
    }
}
