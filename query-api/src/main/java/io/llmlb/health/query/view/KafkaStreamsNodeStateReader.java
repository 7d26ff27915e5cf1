package io.llmlb.health.query.view;

import io.llmlb.health.kafka.UnavailableException;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.RejectedRecordLog;
import io.llmlb.health.wire.StoreNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the global node view of a running Kafka Streams instance; "not ready" is an {@link UnavailableException} (503). Entries
 * whose key is not a valid node id, or differs from the state's own id, are left out (and logged
 * once): only the state-processor may write node-state, but what is read from Kafka is checked
 * as HTTP input is, so such an entry is never shown, counted or exported on /metrics.
 */
public final class KafkaStreamsNodeStateReader implements NodeStateReader {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private static final RejectedRecordLog REJECTED =
            new RejectedRecordLog(Logger.getLogger(KafkaStreamsNodeStateReader.class.getName()), "query-api node view");

    private final KafkaStreams streams;

    public KafkaStreamsNodeStateReader(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public List<NodeState> all() {
        List<NodeState> nodes = new ArrayList<>();
        try (KeyValueIterator<String, NodeState> all = store().all()) {
            all.forEachRemaining(entry -> {
                if (trusted(entry.key, entry.value)) {
                    nodes.add(entry.value);
                }
            });
        } catch (InvalidStateStoreException e) {
            throw notReady();
        }
        return nodes;
    }

    @Override
    public Optional<NodeState> find(String nodeId) {
        try {
            return Optional.ofNullable(store().get(nodeId)).filter(state -> trusted(nodeId, state));
        } catch (InvalidStateStoreException e) {
            throw notReady();
        }
    }

    private static boolean trusted(String key, NodeState state) {
        if (NodeIds.isValid(key) && state != null && key.equals(state.nodeId())) {
            return true;
        }
        REJECTED.rejected(StoreNames.NODE_VIEW, -1, -1, key, "key is not a valid node id or differs from node_id");
        return false;
    }

    private ReadOnlyKeyValueStore<String, NodeState> store() {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(StoreNames.NODE_VIEW,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw notReady();
        }
    }

    private static UnavailableException notReady() {
        return new UnavailableException("node view is not ready yet (starting or rebalancing)", RETRY_AFTER);
    }
}
