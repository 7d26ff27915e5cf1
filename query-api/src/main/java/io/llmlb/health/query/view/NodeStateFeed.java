package io.llmlb.health.query.view;

import io.llmlb.health.wire.JsonSerde;
import io.llmlb.health.wire.KafkaSettings;
import io.llmlb.health.wire.NodeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the compacted {@code node-state} topic on its own thread and hands every new node state
 * (or deletion) to subscribers, for live views.
 *
 * <p>It reads the topic from the beginning and keeps the latest state per node, although the
 * global table behind {@link NodeStateReader} holds the same: a subscriber gets its snapshot and its
 * subscription under one lock, so no change falls between the two. Taking the snapshot from the
 * global table and the changes from a second consumer would race (two consumers, two positions).
 * A thousand nodes of a few hundred bytes each cost nothing to keep twice.
 */
public final class NodeStateFeed implements AutoCloseable {

    /** A node's new state, or its removal ({@code state} null). */
    public record Update(String nodeId, NodeState state) {
    }

    /** Receives updates on the feed's thread; must not block. */
    public interface Subscriber {

        /** A node changed. */
        void update(Update update);

        /** The feed stopped: no more updates will come. */
        void ended();
    }

    /** What a subscriber starts from: every node as of subscribing, ordered by id. */
    public record Subscription(List<NodeState> snapshot, Runnable cancel) implements AutoCloseable {
        @Override
        public void close() {
            cancel.run();
        }
    }

    private static final Logger LOG = Logger.getLogger(NodeStateFeed.class.getName());
    private static final JsonSerde<NodeState> SERDE = JsonSerde.of(NodeState.class);

    private final Map<String, NodeState> nodes = new TreeMap<>();
    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private final Map<Integer, Long> endOffsetsAtStart = new HashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Thread poller;
    private boolean caughtUp;
    private boolean stopped;

    private NodeStateFeed(KafkaSettings settings, String clientId) {
        this.topic = settings.topics().nodeState();
        Map<String, Object> props = settings.clientProperties(clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // The state-processor writes node-state in transactions: show only committed states.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A live view wants each change at once, not a full fetch a little later.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.poller = Thread.ofPlatform().name("node-state-feed-" + clientId).daemon().unstarted(this::pollLoop);
    }

    /** Starts following the node-state topic of {@code settings}; the topic must exist. */
    public static NodeStateFeed start(KafkaSettings settings, String clientId) {
        NodeStateFeed feed = new NodeStateFeed(settings, clientId);
        try {
            feed.assignAll();
        } catch (RuntimeException e) {
            feed.consumer.close(Duration.ofSeconds(5));
            throw e;
        }
        feed.poller.start();
        return feed;
    }

    private void assignAll() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        consumer.endOffsets(partitions).forEach((tp, end) -> endOffsetsAtStart.put(tp.partition(), end));
    }

    private void pollLoop() {
        try {
            while (true) {
                var records = consumer.poll(Duration.ofMillis(500));
                synchronized (this) {
                    for (ConsumerRecord<String, byte[]> record : records) {
                        apply(record);
                    }
                    if (!caughtUp) {
                        caughtUp = endOffsetsAtStart.entrySet().stream().allMatch(end ->
                                consumer.position(new TopicPartition(topic, end.getKey())) >= end.getValue());
                        notifyAll();
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "node state feed stopped reading " + topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            synchronized (this) {
                stopped = true;
                subscribers.forEach(Subscriber::ended);
                notifyAll();
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        NodeState state;
        try {
            state = SERDE.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            LOG.warning("skipping unreadable node state " + record.partition() + "/" + record.offset()
                    + ": " + e.getMessage());
            return;
        }
        if (state == null) {
            nodes.remove(record.key());
        } else {
            nodes.put(record.key(), state);
        }
        Update update = new Update(record.key(), state);
        for (Subscriber subscriber : subscribers) {
            subscriber.update(update);
        }
    }

    /**
     * Subscribes {@code subscriber} to every change after the returned snapshot. It is called on
     * the feed's thread and must not block: a live view that cannot keep up drops its client.
     */
    public synchronized Subscription subscribe(Subscriber subscriber) {
        if (stopped) {
            subscriber.ended();
        }
        subscribers.add(subscriber);
        return new Subscription(new ArrayList<>(nodes.values()), () -> subscribers.remove(subscriber));
    }

    /** Waits until everything in the topic at start has been read; false on timeout or when stopped. */
    public synchronized boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp && !stopped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return caughtUp && !stopped;
    }

    /** Whether the feed is still following the topic. */
    public synchronized boolean isRunning() {
        return !stopped;
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            poller.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
