package io.llmlb.health.query.view;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.kafka.TopicFollower;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.Reason;
import io.llmlb.health.wire.StateChange;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The last {@value #KEPT_PER_NODE} transitions of every node, read from
 * {@code node-state-changes}, for {@code GET /v0/nodes/{id}} and the dashboard's detail view.
 * Kept beside the node state rather than in it: transitions are rare and heartbeats are not, and
 * every heartbeat rewrites the node's state.
 */
public final class TransitionHistory implements TransitionLog, AutoCloseable {

    /** How many transitions are kept per node. */
    public static final int KEPT_PER_NODE = 20;

    private static final JsonSerde<StateChange> SERDE = JsonSerde.of(StateChange.class);

    private final Map<String, Deque<StateChange>> byNode = new ConcurrentHashMap<>();
    private final RegistryStrings strings;
    private final Consumer<StateChange> alsoTo;
    private TopicFollower follower;

    private TransitionHistory(RegistryStrings strings, Consumer<StateChange> alsoTo) {
        this.strings = strings;
        this.alsoTo = alsoTo;
    }

    /**
     * Starts reading the changes topic of {@code settings} from its beginning, keeping
     * {@code strings}' copy of each node id and handing every transition to {@code alsoTo} (the fleet chart).
     */
    public static TransitionHistory start(KafkaSettings settings, String clientId, RegistryStrings strings,
                                          Consumer<StateChange> alsoTo) {
        TransitionHistory history = new TransitionHistory(strings, alsoTo);
        history.follower = TopicFollower.start(settings, settings.topics().nodeStateChanges(), clientId, history::apply);
        return history;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        StateChange change = SERDE.deserialize(record.topic(), record.value());
        if (change == null || !NodeIds.isValid(record.key())) {
            return; // a key that is no node id was not written by the state-processor
        }
        alsoTo.accept(change);
        if (Reason.REMOVED.equals(change.reason())) {
            byNode.remove(record.key());
            return;
        }
        // Most nodes change state a few times in their life: a deque sized for two, grown as needed,
        // rather than the default sixteen slots; and one string for the key and the kept change.
        String nodeId = strings.nodeId(record.key());
        Deque<StateChange> recent = byNode.computeIfAbsent(nodeId, id -> new ArrayDeque<>(2));
        StateChange kept = new StateChange(nodeId, change.from(), change.to(), change.reason(), change.at(),
                change.lastSeen(), change.seq());
        synchronized (recent) {
            recent.addLast(kept);
            while (recent.size() > KEPT_PER_NODE) {
                recent.removeFirst();
            }
        }
    }

    @Override
    public List<StateChange> recent(String nodeId) {
        Deque<StateChange> recent = byNode.get(nodeId);
        if (recent == null) {
            return List.of();
        }
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** Whether the history is still being followed. */
    public boolean isRunning() {
        return follower.isRunning();
    }

    @Override
    public void close() {
        follower.close();
    }
}
