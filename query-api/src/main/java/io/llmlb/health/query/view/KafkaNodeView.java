package io.llmlb.health.query.view;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.RejectedRecordLog;
import io.llmlb.health.kafka.TopicFollower;
import java.time.Duration;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Fills a {@link NodeView} from the compacted {@code node-state} topic: one consumer (read_committed,
 * no group: every replica reads everything) and one decode per record. It replaces a Kafka Streams
 * global table plus a second consumer for live views, which held every node twice and decoded,
 * re-encoded and decoded each heartbeat's state again. Records whose key is not a valid node id,
 * or differs from the state's own id, are left out and logged: only the state-processor may write
 * node-state, but what is read from Kafka is checked as HTTP input is.
 */
public final class KafkaNodeView implements AutoCloseable {

    private static final JsonSerde<NodeState> SERDE = JsonSerde.of(NodeState.class);
    private static final RejectedRecordLog REJECTED =
            new RejectedRecordLog(Logger.getLogger(KafkaNodeView.class.getName()), "query-api node view");

    private final NodeView view;
    private TopicFollower follower;

    private KafkaNodeView(RegistryStrings strings) {
        this.view = new NodeView(strings);
    }

    /**
     * Starts following the node-state topic of {@code settings}; the topic must exist. Entries keep
     * {@code strings}' copy of each node's id and machine name. {@code listeners} hear every record
     * from the first on, those read while catching up too.
     */
    public static KafkaNodeView start(KafkaSettings settings, String clientId, RegistryStrings strings,
                                      NodeView.Listener... listeners) {
        KafkaNodeView kafkaView = new KafkaNodeView(strings);
        for (NodeView.Listener listener : listeners) {
            kafkaView.view.listen(listener);
        }
        kafkaView.follower = TopicFollower.start(settings, settings.topics().nodeState(), clientId,
                kafkaView::apply, kafkaView.view::markStopped);
        Thread.ofVirtual().name(clientId + "-caught-up").start(kafkaView::markWhenCaughtUp);
        return kafkaView;
    }

    private void markWhenCaughtUp() {
        try {
            while (!follower.awaitCaughtUp(Duration.ofSeconds(1))) {
                if (!follower.isRunning()) {
                    return;
                }
            }
            view.markCaughtUp();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (!NodeIds.isValid(key)) {
            REJECTED.rejected(record.topic(), record.partition(), record.offset(), key, "key is not a valid node id");
            return;
        }
        if (record.value() == null) {
            view.remove(key);
            return;
        }
        NodeState state = SERDE.deserialize(record.topic(), record.value());
        if (state == null || !key.equals(state.nodeId()) || state.state() == null) {
            REJECTED.rejected(record.topic(), record.partition(), record.offset(), key,
                    "state is empty or its node_id differs from the key");
            return;
        }
        view.put(state);
    }

    /** The view this follower fills. */
    public NodeView view() {
        return view;
    }

    /** Waits until everything in the topic at start has been read; false on timeout or when stopped. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout) && follower.isRunning();
    }

    /** Whether the view has caught up and is still following the topic. */
    public boolean isReady() {
        return follower.isRunning() && follower.isCaughtUp();
    }

    @Override
    public void close() {
        follower.close();
    }
}
