package io.llmlb.health.processor.topology;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.wire.DetectorEvent;
import io.llmlb.health.wire.StateChange;
import io.llmlb.health.wire.StoreNames;
import io.llmlb.health.wire.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the state-processor topology: registry entries and heartbeats (both keyed by node id,
 * so co-partitioned) flow into one processor that owns the node-state store; every state goes to
 * the compacted {@code node-state} topic, every transition to {@code node-state-changes}, and
 * what the detector says about itself (verdicts held or resumed) to {@code detector-events}.
 */
public final class NodeStateTopology {

    static final String REGISTRY_SOURCE = "registry-source";
    static final String HEARTBEAT_SOURCE = "heartbeat-source";
    static final String REGISTRY_GATE = "registry-gate";
    static final String HEARTBEAT_GATE = "heartbeat-gate";
    static final String PROCESSOR = "node-state-processor";
    static final String NODE_STATE_SINK = "node-state-sink";
    static final String CHANGES_SINK = "node-state-changes-sink";
    static final String DETECTOR_SINK = "detector-events-sink";

    private NodeStateTopology() {
    }

    /** The topology for {@code config}; side-effect free, so tests build the same one. */
    public static Topology build(StateProcessorConfig config) {
        return build(config, DetectorMetrics.NONE);
    }

    /** The topology for {@code config}, reporting detection lag and suspension to {@code metrics}. */
    public static Topology build(StateProcessorConfig config, DetectorMetrics metrics) {
        Topics topics = config.kafka().topics();
        Topology topology = new Topology();
        // Raw bytes in, and a gate per source: what is read from Kafka is validated as HTTP input
        // is, so a forged or broken record can neither become a node nor stop the processor. The
        // heartbeats topic also carries ingest's input ticks, in the same partition order.
        topology.addSource(REGISTRY_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.nodeRegistry());
        topology.addSource(HEARTBEAT_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.heartbeats());
        topology.addProcessor(REGISTRY_GATE, InputGate::registry, REGISTRY_SOURCE);
        topology.addProcessor(HEARTBEAT_GATE, InputGate::heartbeats, HEARTBEAT_SOURCE);
        topology.addProcessor(PROCESSOR,
                () -> new NodeStateProcessor(config, metrics),
                REGISTRY_GATE, HEARTBEAT_GATE);
        // One serde for the store and the sink: a new state is encoded once, not twice (NodeStateSerde).
        NodeStateSerde nodeStates = new NodeStateSerde();
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.NODE_STATE), Serdes.String(), nodeStates),
                PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.INPUT_TICKS), Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.LAST_REQUEST), Serdes.String(), Serdes.String()), PROCESSOR);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.EARLY_HEARTBEATS), Serdes.String(),
                JsonSerde.of(EarlyHeartbeats.class)), PROCESSOR);
        topology.addSink(NODE_STATE_SINK, topics.nodeState(), Serdes.String().serializer(),
                nodeStates.serializer(), PROCESSOR);
        topology.addSink(CHANGES_SINK, topics.nodeStateChanges(), Serdes.String().serializer(),
                JsonSerde.of(StateChange.class).serializer(), PROCESSOR);
        topology.addSink(DETECTOR_SINK, topics.detectorEvents(), Serdes.String().serializer(),
                JsonSerde.of(DetectorEvent.class).serializer(), PROCESSOR);
        return topology;
    }
}
