package io.llmlb.health.bench;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.kafka.KafkaClientConfig;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.NodeTokens;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.SystemMetrics;
import io.llmlb.health.wire.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The bench's fleet, written straight to Kafka: approved registrations to {@code node-registry}
 * (100,000 HTTP registrations would take longer than the rest of the bench), and the fleet's
 * steady heartbeats to {@code heartbeats}, each node once per period at its own phase, exactly as
 * ingest would write them. The HTTP path is measured on its own; this keeps the detector's figures
 * free of the load generator's HTTP cost. Node ids and tokens follow from the index, so the
 * bench keeps no per-node data of its own.
 */
final class Fleet implements AutoCloseable {

    private static final GpuMetrics GPU = new GpuMetrics(45.5, 78.2, 65.0);
    private static final SystemMetrics SYSTEM = new SystemMetrics(30.0, 50.0);
    private static final List<String> MODELS = List.of("llama-3.2-1b");

    private final KafkaProducer<String, Registration> registry;
    private final KafkaProducer<String, Heartbeat> heartbeats;
    private final Topics topics;
    private final Duration period;
    private volatile int size;
    private int registered;
    private volatile IntPredicate silenced = node -> false;
    private volatile boolean running = true;
    private volatile long worstBehindMillis;
    private volatile boolean paused;
    private int offset;
    private int nextNode;
    private boolean restart;
    private Thread keepAlive;

    Fleet(String bootstrap, KafkaClientConfig client, Topics topics, Duration period) {
        this.topics = topics;
        this.period = period;
        this.registry = new KafkaProducer<>(producerProps(bootstrap, client, "bench-registry"), new StringSerializer(),
                JsonSerde.of(Registration.class));
        this.heartbeats = new KafkaProducer<>(producerProps(bootstrap, client, "bench-heartbeats"), new StringSerializer(),
                JsonSerde.of(Heartbeat.class));
    }

    private static Map<String, Object> producerProps(String bootstrap, KafkaClientConfig client, String clientId) {
        Map<String, Object> props = new HashMap<>();
        client.applyTo(props);
        props.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        return props;
    }

    static String nodeId(int index) {
        return String.format("bench-%06d", index);
    }

    static int indexOf(String nodeId) {
        return nodeId.startsWith("bench-") ? Integer.parseInt(nodeId.substring(6)) : -1;
    }

    static String token(int index) {
        return "bench-token-" + index + "-e3b0c44298fc1c149afbf4c8996fb924";
    }

    /**
     * Registers nodes up to {@code newSize - 1} as approved (online at once) and waits for Kafka's
     * ack. They beat only once {@link #activate(int) activated}: a heartbeat that reaches the
     * detector before the node's registration is dropped.
     */
    void register(int newSize) {
        Instant now = Instant.now();
        for (int i = registered; i < newSize; i++) {
            String id = nodeId(i);
            registry.send(new ProducerRecord<>(topics.nodeRegistry(), id, new Registration(id,
                    NodeTokens.sha256Hex(token(i)), true, id, Map.of(), now, RegistryCommand.APPROVED, now)));
        }
        registry.flush();
        registered = Math.max(registered, newSize);
    }

    /** Nodes {@code 0..activeSize-1} beat from now on. */
    void activate(int activeSize) {
        size = Math.min(activeSize, registered);
    }

    int size() {
        return size;
    }

    /** Nodes for which {@code silenced} holds stop beating; the others go on. */
    void silence(IntPredicate nodes) {
        this.silenced = nodes;
    }

    /**
     * The nodes {@code nodes} selects all beat once more, stamped with one and the same receive
     * time, and then fall silent: their deadlines coincide, as when a rack loses power right after
     * a heartbeat round. Returns that receive time.
     */
    Instant lastBeatThenSilence(IntPredicate nodes) {
        silence(nodes);
        Instant receivedAt = Instant.now();
        for (int node = 0; node < size; node++) {
            if (nodes.test(node)) {
                String id = nodeId(node);
                heartbeats.send(new ProducerRecord<>(topics.heartbeats(), null, receivedAt.toEpochMilli(), id,
                        new Heartbeat(id, receivedAt, GPU, SYSTEM, 2, MODELS)));
            }
        }
        heartbeats.flush();
        return receivedAt;
    }

    /** Starts the steady heartbeats of the whole fleet. */
    void startHeartbeats() {
        keepAlive = Thread.ofPlatform().daemon().name("bench-fleet-heartbeats").start(this::beatForever);
    }

    /** The furthest the heartbeats fell behind their schedule (the producer could not keep up). */
    long worstBehindMillis() {
        return worstBehindMillis;
    }

    /**
     * Stops the steady heartbeats and returns the node that was due next, so whoever takes over
     * can continue in the same order and no node waits longer than one period.
     */
    int pause() {
        paused = true;
        synchronized (this) {
            return nextNode;
        }
    }

    /** Resumes the steady heartbeats with node {@code first}. */
    void resumeFrom(int first) {
        synchronized (this) {
            offset = Math.floorMod(first, Math.max(1, size));
            restart = true;
        }
        paused = false;
    }

    private void beatForever() {
        long periodNanos = period.toNanos();
        long cycleStart = System.nanoTime();
        int cursor = 0;
        int first = 0;
        while (running) {
            LockSupport.parkNanos(5_000_000);
            if (paused) {
                continue;
            }
            long now = System.nanoTime();
            synchronized (this) {
                if (restart) {
                    restart = false;
                    cycleStart = now;
                    cursor = 0;
                    first = offset;
                }
            }
            int fleet = size;
            long elapsed = now - cycleStart;
            int target = (int) Math.min(fleet, fleet * (double) elapsed / periodNanos);
            IntPredicate quiet = silenced;
            Instant receivedAt = Instant.now();
            for (; cursor < target && !paused; cursor++) {
                int node = (first + cursor) % fleet;
                synchronized (this) {
                    nextNode = (node + 1) % fleet;
                }
                if (quiet.test(node)) {
                    continue;
                }
                String id = nodeId(node);
                Heartbeat beat = new Heartbeat(id, receivedAt, GPU, SYSTEM, 2, MODELS);
                heartbeats.send(new ProducerRecord<>(topics.heartbeats(), null, receivedAt.toEpochMilli(), id, beat));
            }
            if (cursor >= fleet && elapsed >= periodNanos) {
                worstBehindMillis = Math.max(worstBehindMillis, (elapsed - periodNanos) / 1_000_000);
                cycleStart += periodNanos;
                if (now - cycleStart > periodNanos) {
                    cycleStart = now; // fell a whole period behind: restart the rhythm rather than burst
                }
                cursor = 0;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (keepAlive != null) {
            try {
                keepAlive.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        heartbeats.close(Duration.ofSeconds(10));
        registry.close(Duration.ofSeconds(10));
    }
}
