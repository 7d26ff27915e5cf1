package io.llmlb.health.query.view;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.StoreNames;
import io.llmlb.health.wire.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.Stores;

/**
 * The query API's view: the compacted {@code node-state} topic as a global table, so every
 * replica holds every node and answers {@code GET /v0/nodes} locally.
 */
public final class NodeViewTopology {

    private NodeViewTopology() {
    }

    /** The view topology for {@code topics}. */
    public static Topology build(Topics topics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable(topics.nodeState(),
                Consumed.with(Serdes.String(), JsonSerde.of(NodeState.class)),
                Materialized.<String, NodeState>as(Stores.inMemoryKeyValueStore(StoreNames.NODE_VIEW))
                        .withKeySerde(Serdes.String())
                        .withValueSerde(JsonSerde.of(NodeState.class)));
        return builder.build();
    }
}
