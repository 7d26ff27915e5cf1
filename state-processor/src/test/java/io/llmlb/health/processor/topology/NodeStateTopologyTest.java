package io.llmlb.health.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.processor.config.SuspensionSettings;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.JsonSerde;
import io.llmlb.health.wire.KafkaSettings;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeTokens;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.StateChange;
import io.llmlb.health.wire.StoreNames;
import io.llmlb.health.wire.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStateTopologyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Instant START = Instant.parse("2025-01-01T12:00:00Z");
    private static final Topics TOPICS = new Topics("llmlb.");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, Registration> registry;
    private TestInputTopic<String, Heartbeat> heartbeats;
    private TestOutputTopic<String, StateChange> changes;
    private TestOutputTopic<String, NodeState> states;
    private KeyValueStore<String, NodeState> store;
    private Instant clock = START;
    private final List<Duration> detectionLags = new java.util.ArrayList<>();
    private boolean suspendedNow;

    @BeforeEach
    void startDriver() {
        StateProcessorConfig config = new StateProcessorConfig(
                new KafkaSettings("unused:9092", TOPICS, 1, (short) 1), TIMEOUT, CHECK_INTERVAL,
                Duration.ofMillis(100), stateDir, "test-app", SuspensionSettings.DEFAULT, 0);
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(NodeStateTopology.build(config, new DetectorMetrics() {
            @Override
            public void detectionLag(Duration lag) {
                detectionLags.add(lag);
            }

            @Override
            public void suspended(String taskId, boolean suspended) {
                suspendedNow = suspended;
            }
        }), props, START);
        registry = driver.createInputTopic(TOPICS.nodeRegistry(), Serdes.String().serializer(),
                JsonSerde.of(Registration.class).serializer());
        heartbeats = driver.createInputTopic(TOPICS.heartbeats(), Serdes.String().serializer(),
                JsonSerde.of(Heartbeat.class).serializer());
        changes = driver.createOutputTopic(TOPICS.nodeStateChanges(), Serdes.String().deserializer(),
                JsonSerde.of(StateChange.class).deserializer());
        states = driver.createOutputTopic(TOPICS.nodeState(), Serdes.String().deserializer(),
                JsonSerde.of(NodeState.class).deserializer());
        store = driver.getKeyValueStore(StoreNames.NODE_STATE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void registeredNodeIsPending() {
        Registration registration = register("node-1");

        assertEquals(NodeStatus.PENDING, store.get("node-1").state());
        assertEquals(List.of(change("node-1", null, NodeStatus.PENDING, StateChange.REGISTERED,
                registration.commandAt(), null, 1)), changes.readValuesToList());
    }

    @Test
    void pendingNodeStaysPendingWhateverItSends() {
        register("node-1");
        for (int i = 0; i < 5; i++) {
            heartbeat("node-1");
            advance(TIMEOUT.multipliedBy(2));
        }
        heartbeat("node-1");

        NodeState state = store.get("node-1");
        assertEquals(NodeStatus.PENDING, state.state());
        assertEquals(6, state.heartbeats());
        assertEquals(now(), state.lastSeen());
        assertEquals(List.of(StateChange.REGISTERED), reasons(changes.readValuesToList()));
    }

    @Test
    void approvalMakesPendingNodeOnline() {
        Registration registration = register("node-1");

        approve(registration);

        NodeState state = store.get("node-1");
        assertEquals(NodeStatus.ONLINE, state.state());
        assertEquals(now(), state.onlineSince());
        List<StateChange> all = changes.readValuesToList();
        assertEquals(change("node-1", NodeStatus.PENDING, NodeStatus.ONLINE, StateChange.APPROVED, now(), null, 2),
                all.get(1));
    }

    @Test
    void nodeGoesOfflineAfterTimeout() {
        approve(register("node-1"));
        heartbeat("node-1");
        Instant lastSeen = now();

        advance(TIMEOUT);
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state(), "exactly at the timeout it is still online");
        advance(CHECK_INTERVAL);

        NodeState state = store.get("node-1");
        assertEquals(NodeStatus.OFFLINE, state.state());
        assertEquals(1, state.timeouts());
        StateChange timeout = changes.readValuesToList().getLast();
        assertEquals(change("node-1", NodeStatus.ONLINE, NodeStatus.OFFLINE, StateChange.TIMEOUT, now(), lastSeen, 3),
                timeout);
    }

    @Test
    void heartbeatBringsOfflineNodeBackOnline() {
        approve(register("node-1"));
        advance(TIMEOUT.plus(CHECK_INTERVAL));
        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());

        heartbeat("node-1");

        NodeState state = store.get("node-1");
        assertEquals(NodeStatus.ONLINE, state.state());
        assertEquals(now(), state.onlineSince());
        assertEquals(List.of(StateChange.REGISTERED, StateChange.APPROVED, StateChange.TIMEOUT, StateChange.HEARTBEAT),
                reasons(changes.readValuesToList()));
    }

    @Test
    void heartbeatsKeepAnOnlineNodeOnline() {
        approve(register("node-1"));
        for (int i = 0; i < 10; i++) {
            advance(TIMEOUT.minusSeconds(5));
            heartbeat("node-1");
        }

        assertEquals(NodeStatus.ONLINE, store.get("node-1").state());
        assertEquals(10, store.get("node-1").heartbeats());
        assertEquals(List.of(StateChange.REGISTERED, StateChange.APPROVED), reasons(changes.readValuesToList()));
    }

    @Test
    void heartbeatOlderThanOneTimeoutDoesNotBringNodeBack() {
        approve(register("node-1"));
        Instant longAgo = now();
        advance(TIMEOUT.multipliedBy(3));
        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());

        heartbeats.pipeInput("node-1", new Heartbeat("node-1", longAgo, null, null, null, null), longAgo);

        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());
        assertEquals(1, store.get("node-1").heartbeats(), "the heartbeat is still counted");
    }

    @Test
    void disconnectForcesOnlineNodeOffline() {
        Registration approved = approve(register("node-1"));

        registry.pipeInput("node-1", approved.with(RegistryCommand.DISCONNECTED, now()));

        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());
        assertEquals(StateChange.DISCONNECTED, changes.readValuesToList().getLast().reason());
    }

    @Test
    void deletionRemovesNodeAndWritesTombstone() {
        approve(register("node-1"));

        registry.pipeInput("node-1", (Registration) null);

        assertNull(store.get("node-1"));
        List<KeyValue<String, NodeState>> written = states.readKeyValuesToList();
        assertNull(written.getLast().value, "compacted node-state gets a tombstone");
        StateChange removed = changes.readValuesToList().getLast();
        assertEquals(NodeStatus.ONLINE, removed.from());
        assertNull(removed.to());
        assertEquals(StateChange.REMOVED, removed.reason());
        assertEquals(3, removed.seq());
    }

    @Test
    void heartbeatForUnknownNodeCreatesNothing() {
        heartbeat("ghost");

        assertNull(store.get("ghost"));
        assertTrue(changes.isEmpty());
    }

    @Test
    void seqRisesByOnePerTransition() {
        approve(register("node-1"));
        for (int i = 0; i < 3; i++) {
            advance(TIMEOUT.plus(CHECK_INTERVAL));
            heartbeat("node-1");
        }

        List<Long> seqs = changes.readValuesToList().stream().map(StateChange::seq).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), seqs);
    }

    @Test
    void onlyExpiredNodesAreJudged() {
        approve(register("quiet"));
        approve(register("chatty"));
        for (int i = 0; i < 4; i++) {
            advance(Duration.ofSeconds(10));
            heartbeat("chatty");
        }

        assertEquals(NodeStatus.OFFLINE, store.get("quiet").state());
        assertEquals(NodeStatus.ONLINE, store.get("chatty").state());
    }

    @Test
    void detectionLagIsTimeFromDeadlineToVerdict() {
        approve(register("node-1"));
        heartbeat("node-1");

        advance(TIMEOUT.plusMillis(400));
        advance(CHECK_INTERVAL);

        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());
        assertEquals(1, detectionLags.size());
        assertTrue(detectionLags.getFirst().compareTo(CHECK_INTERVAL) <= 0, "lag " + detectionLags);
    }

    @Test
    void wholeFleetFallingSilentAtOnceHoldsVerdictsAndSaysSoOnce() {
        List<String> fleet = fleetOf(20);
        changes.readValuesToList();

        for (int i = 0; i < 10; i++) {
            advance(CHECK_INTERVAL.multipliedBy(4));
        }

        fleet.forEach(id -> assertEquals(NodeStatus.ONLINE, store.get(id).state(), id));
        assertTrue(suspendedNow);
        List<StateChange> events = changes.readValuesToList();
        assertEquals(List.of(NodeStateProcessor.DETECTOR_SUSPENDED), reasons(events));
        assertEquals(NodeStateProcessor.DETECTOR_KEY, events.getFirst().nodeId());

        fleet.forEach(this::heartbeat);
        advance(CHECK_INTERVAL);

        assertEquals(List.of(NodeStateProcessor.DETECTOR_RESUMED), reasons(changes.readValuesToList()));
        fleet.forEach(id -> assertEquals(NodeStatus.ONLINE, store.get(id).state(), id));
        assertTrue(!suspendedNow);
    }

    @Test
    void oneDeathWhileTheFleetHeartbeatsIsDetectedOnTime() {
        List<String> fleet = fleetOf(20);
        String dying = fleet.getFirst();

        for (int i = 0; i < 8; i++) {
            advance(Duration.ofSeconds(5));
            fleet.stream().filter(id -> !id.equals(dying)).forEach(this::heartbeat);
        }

        assertEquals(NodeStatus.OFFLINE, store.get(dying).state());
        assertTrue(detectionLags.getFirst().compareTo(Duration.ofSeconds(5)) <= 0, "lag " + detectionLags);
        fleet.stream().skip(1).forEach(id -> assertEquals(NodeStatus.ONLINE, store.get(id).state(), id));
    }

    @Test
    void heldVerdictsAreReleasedAfterTheMaximumHold() {
        List<String> fleet = fleetOf(20);

        advance(TIMEOUT.plus(CHECK_INTERVAL));
        assertTrue(suspendedNow);
        for (int i = 0; i < 6 * 60 + 2; i++) {
            advance(CHECK_INTERVAL);
        }

        fleet.forEach(id -> assertEquals(NodeStatus.OFFLINE, store.get(id).state(), id));
        assertTrue(!suspendedNow);
    }

    @Test
    void nodeThatResumesWithinOneTimeoutOfRestartIsNeverCalledOffline() {
        // Given: the processor starts (START) and finds a node whose last sign of life is long gone,
        // because the whole system was down for ten minutes.
        Instant longBeforeRestart = START.minus(Duration.ofMinutes(10));
        Registration registration = new Registration("node-1", NodeTokens.sha256Hex("node-1"), true, null, Map.of(),
                longBeforeRestart, RegistryCommand.APPROVED, longBeforeRestart);
        registry.pipeInput("node-1", registration, longBeforeRestart);

        // When: the node resumes heartbeating within one timeout of the restart.
        advance(TIMEOUT.minusSeconds(5));
        heartbeat("node-1");
        for (int i = 0; i < 4; i++) {
            advance(TIMEOUT.minusSeconds(5));
            heartbeat("node-1");
        }

        // Then: no offline verdict at any point.
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state());
        assertTrue(reasons(changes.readValuesToList()).stream().noneMatch(StateChange.TIMEOUT::equals));
    }

    @Test
    void nodeSilentSinceBeforeRestartGoesOfflineOneTimeoutAfterRestart() {
        Instant longBeforeRestart = START.minus(Duration.ofMinutes(10));
        registry.pipeInput("node-1", new Registration("node-1", NodeTokens.sha256Hex("node-1"), true, null, Map.of(),
                longBeforeRestart, RegistryCommand.APPROVED, longBeforeRestart), longBeforeRestart);

        advance(TIMEOUT.minusSeconds(1));
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state(), "judged only one timeout after the restart");
        advance(CHECK_INTERVAL.multipliedBy(2));

        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());
    }

    @Test
    void approvalProcessedLateStillGivesTheNodeAFullTimeout() {
        // Given: an approval the admin gave long ago reaches a processor that was behind.
        advance(TIMEOUT.multipliedBy(2));
        Instant longAgo = START;
        Registration registration = new Registration("node-1", NodeTokens.sha256Hex("node-1"), false, null, Map.of(),
                longAgo, RegistryCommand.REGISTERED, longAgo);
        registry.pipeInput("node-1", registration, longAgo);
        registry.pipeInput("node-1", registration.with(RegistryCommand.APPROVED, longAgo), longAgo);

        // When: less than one timeout passes after it is processed.
        advance(TIMEOUT.minusSeconds(1));

        // Then: the node is still online; it is judged from when the approval was processed.
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state());
        advance(CHECK_INTERVAL.multipliedBy(2));
        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());
    }

    private List<String> fleetOf(int size) {
        List<String> fleet = new java.util.ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = "gpu-" + i;
            approve(register(id));
            heartbeat(id);
            fleet.add(id);
        }
        return fleet;
    }

    private Registration register(String nodeId) {
        Registration registration = new Registration(nodeId, NodeTokens.sha256Hex(nodeId), false, null, Map.of(),
                now(), RegistryCommand.REGISTERED, now());
        registry.pipeInput(nodeId, registration, now());
        return registration;
    }

    private Registration approve(Registration registration) {
        Registration approved = registration.with(RegistryCommand.APPROVED, now());
        registry.pipeInput(registration.nodeId(), approved, now());
        return approved;
    }

    private void heartbeat(String nodeId) {
        heartbeats.pipeInput(nodeId, new Heartbeat(nodeId, now(), null, null, 0, List.of()), now());
    }

    /** The driver's mock wall clock, which the test alone moves. */
    private Instant now() {
        return clock;
    }

    private void advance(Duration duration) {
        clock = clock.plus(duration);
        driver.advanceWallClockTime(duration);
    }

    private static StateChange change(String nodeId, NodeStatus from, NodeStatus to, String reason, Instant at,
                                      Instant lastSeen, long seq) {
        return new StateChange(nodeId, from, to, reason, at, lastSeen, seq);
    }

    private static List<String> reasons(List<StateChange> changes) {
        return changes.stream().map(StateChange::reason).toList();
    }
}
