package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.Reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.processor.config.FailoverSettings;
import io.llmlb.health.processor.config.FlapSettings;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.processor.config.SuspensionSettings;
import io.llmlb.health.wire.DetectorEvent;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.InputPath;
import io.llmlb.health.wire.InputTick;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeTokens;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.StateChange;
import io.llmlb.health.wire.StoreNames;
import io.llmlb.health.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
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
    private TestOutputTopic<String, DetectorEvent> detector;
    private KeyValueStore<String, NodeState> store;
    private Instant clock = START;
    private final List<Duration> detectionLags = new java.util.ArrayList<>();
    private boolean suspendedNow;
    private int deferredVerdicts;
    private TestInputTopic<String, InputTick> ticks;
    /** Whether ingest ticks while the test moves the clock; off during a simulated input outage. */
    private boolean ingestTicking = true;
    private static final String INGEST = "ingest-a";

    @BeforeEach
    void startDriver() {
        StateProcessorConfig config = new StateProcessorConfig(
                new KafkaSettings("unused:9092", TOPICS, 1, (short) 1), TIMEOUT, CHECK_INTERVAL,
                Duration.ofMillis(100), stateDir, "test-app", SuspensionSettings.DEFAULT, 0, FailoverSettings.DEFAULT);
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(NodeStateTopology.build(config, new DetectorMetrics() {
            @Override
            public void detectionLag(Duration lag) {
                detectionLags.add(lag);
            }

            @Override
            public void deferredVerdict() {
                deferredVerdicts++;
            }

            @Override
            public void suspended(String taskId, boolean suspended) {
                suspendedNow = suspended;
            }
        }), props, START);
        ticks = driver.createInputTopic(TOPICS.heartbeats(), Serdes.String().serializer(),
                JsonSerde.of(InputTick.class).serializer());
        registry = driver.createInputTopic(TOPICS.nodeRegistry(), Serdes.String().serializer(),
                JsonSerde.of(Registration.class).serializer());
        heartbeats = driver.createInputTopic(TOPICS.heartbeats(), Serdes.String().serializer(),
                JsonSerde.of(Heartbeat.class).serializer());
        changes = driver.createOutputTopic(TOPICS.nodeStateChanges(), Serdes.String().deserializer(),
                JsonSerde.of(StateChange.class).deserializer());
        detector = driver.createOutputTopic(TOPICS.detectorEvents(), Serdes.String().deserializer(),
                JsonSerde.of(DetectorEvent.class).deserializer());
        states = driver.createOutputTopic(TOPICS.nodeState(), Serdes.String().deserializer(),
                JsonSerde.of(NodeState.class).deserializer());
        store = driver.getKeyValueStore(StoreNames.NODE_STATE);
        // Ingest was already running when the processor started: its input path is live.
        tick(INGEST, START);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void registeredNodeIsPending() {
        Registration registration = register("node-1");

        assertEquals(NodeStatus.PENDING, store.get("node-1").state());
        assertEquals(List.of(change("node-1", null, NodeStatus.PENDING, Reason.REGISTERED,
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
        assertEquals(List.of(Reason.REGISTERED), reasons(changes.readValuesToList()));
    }

    @Test
    void approvalMakesPendingNodeOnline() {
        Registration registration = register("node-1");

        approve(registration);

        NodeState state = store.get("node-1");
        assertEquals(NodeStatus.ONLINE, state.state());
        assertEquals(now(), state.onlineSince());
        List<StateChange> all = changes.readValuesToList();
        assertEquals(change("node-1", NodeStatus.PENDING, NodeStatus.ONLINE, Reason.APPROVED, now(), null, 2),
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
        assertEquals(change("node-1", NodeStatus.ONLINE, NodeStatus.OFFLINE, Reason.TIMEOUT, now(), lastSeen, 3),
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
        assertEquals(List.of(Reason.REGISTERED, Reason.APPROVED, Reason.TIMEOUT, Reason.HEARTBEAT),
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
        assertEquals(List.of(Reason.REGISTERED, Reason.APPROVED), reasons(changes.readValuesToList()));
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
        assertEquals(Reason.DISCONNECTED, changes.readValuesToList().getLast().reason());
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
        assertEquals(Reason.REMOVED, removed.reason());
        assertEquals(3, removed.seq());
    }

    @Test
    void heartbeatForUnknownNodeCreatesNothing() {
        heartbeat("ghost");

        assertNull(store.get("ghost"));
        assertTrue(changes.isEmpty());
    }

    @Test
    void heartbeatsProcessedBeforeTheirRegistrationAreCountedWhenItArrives() {
        // Ingest accepted them (its registry cache knew the token) before this task processed the
        // registration: answered 200, so they must be counted.
        heartbeat("node-1");
        advance(Duration.ofSeconds(5));
        heartbeat("node-1");
        Instant lastBeat = now();
        advance(Duration.ofSeconds(1));

        approve(register("node-1"));

        NodeState state = store.get("node-1");
        assertEquals(2, state.heartbeats());
        assertEquals(lastBeat, state.lastSeen());
        assertEquals(NodeStatus.ONLINE, state.state());
    }

    @Test
    void aRetriedEarlyHeartbeatIsHeldOnce() {
        Heartbeat early = new Heartbeat("node-1", now(), null, null, 0, List.of(), "req-1");
        heartbeats.pipeInput("node-1", early, now());
        heartbeats.pipeInput("node-1", early, now());

        register("node-1");

        assertEquals(1, store.get("node-1").heartbeats());
    }

    @Test
    void heldHeartbeatsOfANodeThatNeverRegistersAreDroppedAfterTenMinutes() {
        heartbeat("ghost");
        advance(NodeStateProcessor.EARLY_HEARTBEATS_KEPT.plusSeconds(2));

        register("ghost");

        assertEquals(0, store.get("ghost").heartbeats());
    }

    @Test
    void seqRisesByOnePerTransition() {
        approve(register("node-1"));
        for (int i = 0; i < 3; i++) {
            advance(TIMEOUT.plus(CHECK_INTERVAL));
            heartbeat("node-1");
        }

        List<StateChange> all = changes.readValuesToList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), all.stream().map(StateChange::seq).toList());
        // The fifth flip within the flap window (default threshold 4) made it flapping: a transition too.
        assertEquals(Reason.FLAPPING_STARTED, all.get(7).reason());
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
        // One sweep interval, plus up to one tick interval until ingest's tick proves the silence.
        assertTrue(detectionLags.getFirst().compareTo(CHECK_INTERVAL.plus(InputPath.TICK_INTERVAL)) <= 0,
                "lag " + detectionLags);
    }

    @Test
    void wholeFleetFallingSilentAtOnceHoldsVerdictsAndSaysSoOnce() {
        List<String> fleet = fleetOf(20);
        changes.readValuesToList();
        Instant silentFrom = clock;
        advance(CHECK_INTERVAL);
        detector.readValuesToList(); // the task's "judging" after start

        for (int i = 0; i < 10; i++) {
            advance(CHECK_INTERVAL.multipliedBy(4));
        }

        fleet.forEach(id -> assertEquals(NodeStatus.ONLINE, store.get(id).state(), id));
        assertTrue(suspendedNow);
        List<DetectorEvent> held = detector.readValuesToList();
        assertEquals(1, held.size(), held.toString());
        DetectorEvent suspended = held.getFirst();
        assertTrue(suspended.holding());
        assertEquals(DetectorEvent.MASS_SILENCE, suspended.cause());
        assertEquals(20, suspended.heldNodes());
        assertEquals(20, suspended.onlineNodes());
        assertEquals(suspended.at(), suspended.since());
        assertTrue(suspended.at().isAfter(silentFrom.plus(TIMEOUT)), suspended.toString());
        assertEquals(suspended.since().plus(SuspensionSettings.DEFAULT.maxHold()), suspended.holdUntilAtMost());
        assertTrue(changes.readValuesToList().isEmpty(), "the changes topic carries transitions only");

        fleet.forEach(this::heartbeat);
        advance(CHECK_INTERVAL);

        List<DetectorEvent> resumed = detector.readValuesToList();
        assertEquals(1, resumed.size(), resumed.toString());
        assertFalse(resumed.getFirst().holding());
        assertEquals(suspended.since(), resumed.getFirst().since());
        assertNull(resumed.getFirst().holdUntilAtMost());
        fleet.forEach(id -> assertEquals(NodeStatus.ONLINE, store.get(id).state(), id));
        assertTrue(!suspendedNow);
    }

    @Test
    void eachTaskSaysOnceAfterStartThatItJudgesSoNoHoldOutlivesACrash() {
        advance(CHECK_INTERVAL);

        List<DetectorEvent> events = detector.readValuesToList();
        assertEquals(1, events.size(), events.toString());
        assertFalse(events.getFirst().holding());
        assertNull(events.getFirst().since());
        assertEquals("0_0", events.getFirst().task());
        advance(CHECK_INTERVAL.multipliedBy(5));
        assertTrue(detector.readValuesToList().isEmpty(), "nothing more while nothing changes");
    }

    @Test
    void anInputOutageHoldsVerdictsWithNoUpperBound() {
        fleetOf(3);

        ingestTicking = false;
        advance(TIMEOUT.multipliedBy(2));

        DetectorEvent held = detector.readValuesToList().getLast();
        assertTrue(held.holding());
        assertEquals(DetectorEvent.INPUT_PATH_OUT, held.cause());
        assertNull(held.holdUntilAtMost());
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
        assertTrue(reasons(changes.readValuesToList()).stream().noneMatch(Reason.TIMEOUT::equals));
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

    @Test
    void brokerOutageLongerThanTheTimeoutLeavesNodesThatKeptTryingOnline() {
        // Given: three nodes beating every 5 s (too few for the mass-silence guard to hold anything).
        List<String> fleet = fleetOf(3);
        beatEveryFiveSeconds(fleet, Duration.ofSeconds(20));

        // When: the broker is gone for twice the timeout: no heartbeat and no tick reaches the
        // processor, whose punctuator keeps running on the wall clock.
        ingestTicking = false;
        advance(TIMEOUT.multipliedBy(2));
        fleet.forEach(id -> assertEquals(NodeStatus.ONLINE, store.get(id).state(), id + " during the outage"));
        assertTrue(suspendedNow, "verdicts are held while the input path is out");

        // Then: the path comes back; the nodes' retries arrive one by one over the next seconds.
        ingestTicking = true;
        for (String id : fleet) {
            advance(Duration.ofSeconds(3));
            heartbeat(id);
        }
        beatEveryFiveSeconds(fleet, TIMEOUT.multipliedBy(2));

        fleet.forEach(id -> assertEquals(NodeStatus.ONLINE, store.get(id).state(), id));
        assertEquals(0, timeouts(), "no live node was called offline");
        assertTrue(!suspendedNow);
    }

    @Test
    void processorFailoverWithIngestRunningAddsNoGraceOnlyTheTakeover() {
        // Given: one node beating, one that falls silent; its deadline comes during a takeover.
        List<String> fleet = fleetOf(2);
        String alive = fleet.get(0);
        String silent = fleet.get(1);
        Instant deadline = store.get(silent).deadline();
        long beforeTakeover = Duration.between(now(), deadline).minusSeconds(3).toSeconds();
        for (int second = 1; second <= beforeTakeover; second++) {
            advance(Duration.ofSeconds(1));
            if (second % 5 == 0) {
                heartbeat(alive);
            }
        }

        // When: the partition has no owner for 8 s, then the new owner reads the backlog: ingest's
        // ticks of every second and the live node's heartbeats, all written while nobody processed.
        Instant takeoverStart = now();
        Instant backlogEnd = takeoverStart.plusSeconds(8);
        driver.advanceWallClockTime(Duration.ofSeconds(8));
        for (Instant at = takeoverStart.plusSeconds(1); !at.isAfter(backlogEnd); at = at.plusSeconds(1)) {
            tick(INGEST, at);
            if (at.equals(takeoverStart.plusSeconds(4))) {
                heartbeats.pipeInput(alive, new Heartbeat(alive, at, null, null, 0, List.of()), at);
            }
        }
        clock = backlogEnd;
        advance(CHECK_INTERVAL);

        // Then: the silent node is judged as soon as the backlog is read, with no grace: its lag is
        // the takeover, recorded as detection lag, not as a deferred verdict.
        assertEquals(NodeStatus.ONLINE, store.get(alive).state());
        assertEquals(NodeStatus.OFFLINE, store.get(silent).state());
        assertEquals(0, deferredVerdicts);
        assertEquals(1, detectionLags.size());
        Duration lag = detectionLags.getFirst();
        assertTrue(lag.compareTo(Duration.ofSeconds(5)) >= 0 && lag.compareTo(Duration.ofSeconds(7)) <= 0, "lag " + lag);
    }

    @Test
    void nodeSilentDuringAnOutageIsJudgedOneTimeoutAfterRecoveryAndCountedAsDeferred() {
        // Given: a node falls silent; 20 s later the input path goes out for 40 s.
        approve(register("node-1"));
        heartbeat("node-1");
        advance(Duration.ofSeconds(20));
        ingestTicking = false;
        advance(Duration.ofSeconds(40));

        // When: the path is back (the node stays silent).
        ingestTicking = true;
        advance(Duration.ofSeconds(1));
        Instant recovered = now();
        advance(TIMEOUT.minusSeconds(1));

        // Then: not judged before one full timeout after the recovery, then judged and counted
        // as deferred, not as a 60 s detection lag.
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state(), "one timeout after recovery at " + recovered);
        advance(CHECK_INTERVAL.multipliedBy(2));
        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());
        assertEquals(1, deferredVerdicts);
        assertEquals(List.of(), detectionLags);
    }

    @Test
    void heartbeatStillInFlightAtAnotherReplicaIsAppliedBeforeTheDeadlineIsJudged() {
        // Given: two ingest replicas; node-1's deadline is near.
        approve(register("node-1"));
        heartbeat("node-1");
        tick("ingest-b", now());
        Instant deadline = store.get("node-1").deadline();
        advance(TIMEOUT.minusSeconds(1));
        // Replica b received a heartbeat of node-1 a moment before the deadline and is still
        // waiting for the broker: its ticks stay behind, while replica a ticks on.
        Instant receivedAtB = deadline.minusMillis(500);
        tick("ingest-b", receivedAtB);

        // When: replica a ticks 3 s past the deadline before b's heartbeat is stored.
        advance(Duration.ofSeconds(3));
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state(), "b may still deliver a heartbeat");
        heartbeats.pipeInput("node-1", new Heartbeat("node-1", receivedAtB, null, null, 0, List.of()), now());
        tick("ingest-b", now());
        advance(CHECK_INTERVAL);

        // Then: the heartbeat counted, and the node was never judged.
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state());
        assertEquals(0, timeouts());
    }

    @Test
    void replicaThatStoppedTickingIsWaitedForOnlyAsLongAsItCouldStillDeliver() {
        approve(register("node-1"));
        heartbeat("node-1");
        Instant deadline = store.get("node-1").deadline();
        advance(TIMEOUT.minusSeconds(2));
        // Replica b ticks once, then dies (SIGKILL): whatever it held was never answered 200.
        tick("ingest-b", now());

        advance(Duration.ofSeconds(3).plus(InputPath.IN_FLIGHT_BOUND));

        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());
        Duration lag = Duration.between(deadline, changes.readValuesToList().getLast().at());
        assertTrue(lag.compareTo(InputPath.IN_FLIGHT_BOUND.plus(CHECK_INTERVAL)) <= 0, "lag " + lag);
    }

    @Test
    void nothingIsJudgedBeforeTheFirstTickThenNodesGetOneTimeoutFromIt() {
        // Given: ingest stops before the processor sees any further tick (a whole-stack restart
        // where ingest comes back last).
        approve(register("node-1"));
        ingestTicking = false;
        advance(TIMEOUT.multipliedBy(3));
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state());

        // When: the first tick arrives, the node stays silent.
        ingestTicking = true;
        advance(Duration.ofSeconds(1));
        advance(TIMEOUT.minusSeconds(1));
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state());
        advance(CHECK_INTERVAL.multipliedBy(2));

        // Then: judged one timeout after the path came back.
        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());
        assertEquals(1, deferredVerdicts);
    }

    @Test
    void gatewayRetryOfAStoredHeartbeatIsCountedOnce() {
        approve(register("node-1"));

        heartbeats.pipeInput("node-1", new Heartbeat("node-1", now(), null, null, 0, List.of(), "req-1"), now());
        heartbeats.pipeInput("node-1", new Heartbeat("node-1", now(), null, null, 0, List.of(), "req-1"), now());
        heartbeats.pipeInput("node-1", new Heartbeat("node-1", now(), null, null, 0, List.of(), "req-2"), now());
        heartbeats.pipeInput("node-1", new Heartbeat("node-1", now(), null, null, 0, List.of(), null), now());

        assertEquals(3, store.get("node-1").heartbeats());
    }

    @Test
    void ticksAreNeitherNodesNorHeartbeats() {
        approve(register("node-1"));
        tick("ingest-b", now());

        assertNull(store.get(new InputTick("ingest-b", now()).key()));
        assertEquals(0, store.get("node-1").heartbeats());
    }

    @Test
    void nodeInMaintenanceIsNeverTimedOut() {
        Registration approved = approve(register("node-1"));
        heartbeat("node-1");
        Registration inMaintenance = approved.withMaintenance(true, now());
        registry.pipeInput("node-1", inMaintenance, now());

        advance(TIMEOUT.multipliedBy(5));
        heartbeat("node-1");
        advance(TIMEOUT.multipliedBy(5));

        NodeState state = store.get("node-1");
        assertEquals(NodeStatus.ONLINE, state.state());
        assertTrue(state.supervised().maintenance());
        assertEquals(2, state.heartbeats(), "heartbeats during maintenance still count");
        assertEquals(List.of(Reason.REGISTERED, Reason.APPROVED, Reason.MAINTENANCE_STARTED),
                reasons(changes.readValuesToList()));
        assertNull(state.deadline(), "no deadline: nothing to judge");
    }

    @Test
    void maintenanceEndIsATransitionAndTheNodeThenTimesOutAsUsual() {
        Registration inMaintenance = approve(register("node-1")).withMaintenance(true, now());
        registry.pipeInput("node-1", inMaintenance, now());
        advance(TIMEOUT.multipliedBy(3));
        Instant ended = now();
        registry.pipeInput("node-1", inMaintenance.withMaintenance(false, ended), ended);

        advance(TIMEOUT.minusSeconds(1));
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state(), "a full timeout from the end of maintenance");
        advance(CHECK_INTERVAL.multipliedBy(2));

        List<StateChange> all = changes.readValuesToList();
        assertEquals(change("node-1", NodeStatus.ONLINE, NodeStatus.ONLINE, Reason.MAINTENANCE_ENDED, ended, null, 4),
                all.get(3));
        assertEquals(List.of(Reason.REGISTERED, Reason.APPROVED, Reason.MAINTENANCE_STARTED, Reason.MAINTENANCE_ENDED,
                Reason.TIMEOUT), reasons(all));
        assertEquals(5, all.get(4).seq());
    }

    @Test
    void nodeFlappingPastThresholdIsMarkedFlappingUntilStableForTheWindow() {
        approve(register("node-1"));
        heartbeat("node-1");
        for (int i = 0; i < 3; i++) {
            advance(TIMEOUT.plus(CHECK_INTERVAL));
            heartbeat("node-1");
        }
        assertTrue(store.get("node-1").supervised().flapping(), "six flips, more than the default threshold of 4");
        assertEquals(1, changes.readValuesToList().stream().filter(c -> c.reason() == Reason.FLAPPING_STARTED).count());

        beatEveryFiveSeconds(List.of("node-1"), FlapSettings.DEFAULT.window().minusSeconds(10));
        assertTrue(store.get("node-1").supervised().flapping(), "not yet stable for a whole window");
        beatEveryFiveSeconds(List.of("node-1"), Duration.ofSeconds(15));

        NodeState settled = store.get("node-1");
        assertFalse(settled.supervised().flapping());
        List<StateChange> after = changes.readValuesToList();
        assertEquals(List.of(Reason.FLAPPING_ENDED), reasons(after));
        assertEquals(settled.seq(), after.get(0).seq());
    }

    @Test
    void adminTimeoutIsTheOneTheDeadlineIndexJudges() {
        Registration approved = approve(register("node-1"));
        heartbeat("node-1");
        registry.pipeInput("node-1", approved.withTimeoutSecs(120, now()), now());

        advance(Duration.ofSeconds(119));
        assertEquals(NodeStatus.ONLINE, store.get("node-1").state());
        advance(CHECK_INTERVAL.multipliedBy(2));
        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state());
    }

    @Test
    void nodeDeclaringAnIntervalTooLongForItsTimeoutIsFlaggedAndNeverTimedOutAtItsPace() {
        approve(register("node-1"));
        for (int beat = 0; beat < 10; beat++) {
            heartbeats.pipeInput("node-1", new Heartbeat("node-1", now(), null, null, 0, List.of(), null, 25), now());
            advance(Duration.ofSeconds(25));
        }

        NodeState state = store.get("node-1");
        assertEquals(NodeStatus.ONLINE, state.state());
        assertTrue(state.supervised().intervalTooLong(), "25 s is more than half of the 30 s timeout");
        assertEquals(0, timeouts());
        advance(Duration.ofSeconds(31));
        assertEquals(NodeStatus.OFFLINE, store.get("node-1").state(), "silent two intervals and the slack");
    }

    private void beatEveryFiveSeconds(List<String> fleet, Duration duration) {
        for (Duration done = Duration.ZERO; done.compareTo(duration) < 0; done = done.plusSeconds(5)) {
            advance(Duration.ofSeconds(5));
            fleet.forEach(this::heartbeat);
        }
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

    /**
     * Moves the wall clock in steps of at most a second; while {@link #ingestTicking}, ingest's
     * replica ticks at every step, before the processor's sweep of that second.
     */
    private void advance(Duration duration) {
        Duration left = duration;
        while (left.isPositive()) {
            Duration step = left.compareTo(Duration.ofSeconds(1)) < 0 ? left : Duration.ofSeconds(1);
            clock = clock.plus(step);
            if (ingestTicking) {
                tick(INGEST, clock);
            }
            driver.advanceWallClockTime(step);
            left = left.minus(step);
        }
    }

    private void tick(String replica, Instant upTo) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(InputTick.HEADER, InputTick.HEADER_VALUE.getBytes(StandardCharsets.UTF_8));
        InputTick tick = new InputTick(replica, upTo);
        ticks.pipeInput(new TestRecord<>(tick.key(), tick, headers, clock));
    }

    private long timeouts() {
        return reasons(changes.readValuesToList()).stream().filter(Reason.TIMEOUT::equals).count();
    }

    private static StateChange change(String nodeId, NodeStatus from, NodeStatus to, Reason reason, Instant at,
                                      Instant lastSeen, long seq) {
        return new StateChange(nodeId, from, to, reason, at, lastSeen, seq);
    }

    private static List<Reason> reasons(List<StateChange> changes) {
        return changes.stream().map(StateChange::reason).toList();
    }
}
