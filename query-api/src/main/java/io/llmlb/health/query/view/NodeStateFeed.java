package io.llmlb.health.query.view;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.kafka.TopicFollower;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.RejectedRecordLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows the compacted {@code node-state} topic on its own thread and hands every new node state
 * (or deletion) to subscribers, for live views.
 *
 * <p>It reads the topic from the beginning and keeps the latest state per node, although the
 * global table behind {@link NodeStateReader} holds the same: a subscriber gets its snapshot and its
 * subscription under one lock, so no change falls between the two. Taking the snapshot from the
 * global table and the changes from a second consumer would race (two consumers, two positions).
 * The copy is kept as the record bytes (a few hundred per node), not as objects (several times
 * that): it is read only when a client subscribes.
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

    private static final JsonSerde<NodeState> SERDE = JsonSerde.of(NodeState.class);
    private static final RejectedRecordLog REJECTED =
            new RejectedRecordLog(Logger.getLogger(NodeStateFeed.class.getName()), "query-api live feed");

    private final Map<String, byte[]> nodes = new TreeMap<>();
    private final Set<Subscriber> subscribers = new CopyOnWriteArraySet<>();
    private TopicFollower follower;
    private boolean stopped;

    private NodeStateFeed() {
    }

    /** Starts following the node-state topic of {@code settings}; the topic must exist. */
    public static NodeStateFeed start(KafkaSettings settings, String clientId) {
        NodeStateFeed feed = new NodeStateFeed();
        feed.follower = TopicFollower.start(settings, settings.topics().nodeState(), clientId, feed::apply,
                feed::followerStopped);
        return feed;
    }

    private synchronized void apply(ConsumerRecord<String, byte[]> record) {
        if (!NodeIds.isValid(record.key())) {
            // Never shown on a live view: only the state-processor writes valid ids here.
            REJECTED.rejected(record.topic(), record.partition(), record.offset(), record.key(),
                    "key is not a valid node id");
            return;
        }
        if (record.value() == null) {
            nodes.remove(record.key());
        } else {
            nodes.put(record.key(), record.value());
        }
        if (subscribers.isEmpty()) {
            return; // nobody watching: no need to parse (this runs for every heartbeat)
        }
        Update update = new Update(record.key(), SERDE.deserialize(record.topic(), record.value()));
        for (Subscriber subscriber : subscribers) {
            subscriber.update(update);
        }
    }

    private synchronized void followerStopped() {
        stopped = true;
        subscribers.forEach(Subscriber::ended);
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
        List<NodeState> snapshot = new ArrayList<>(nodes.size());
        for (byte[] bytes : nodes.values()) {
            try {
                snapshot.add(SERDE.deserialize(null, bytes));
            } catch (RuntimeException unreadable) {
                // One unreadable record is left out rather than failing every subscriber.
            }
        }
        return new Subscription(snapshot, () -> subscribers.remove(subscriber));
    }

    /** Waits until everything in the topic at start has been read; false on timeout or when stopped. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout) && follower.isRunning();
    }

    /** Whether the feed is still following the topic. */
    public boolean isRunning() {
        return follower.isRunning();
    }

    @Override
    public void close() {
        follower.close();
    }
}
