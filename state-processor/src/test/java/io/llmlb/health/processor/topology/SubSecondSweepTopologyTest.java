package io.llmlb.health.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.InputPath;
import io.llmlb.health.wire.InputTick;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeTokens;
import io.llmlb.health.wire.Reason;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.StateChange;
import io.llmlb.health.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 0.1 s check interval, configured as an operator would ({@code LLMLB_HEALTH_CHECK_INTERVAL=0.1}),
 * with ingest ticking at the pace it derives from the same variable: every verdict comes within
 * one interval and one tick of its deadline, never before it.
 */
class SubSecondSweepTopologyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Instant START = Instant.parse("2025-01-01T12:00:00Z");
    private static final Topics TOPICS = new Topics("llmlb.");
    private static final String INGEST = "ingest-a";

    @TempDir
    Path stateDir;

    private StateProcessorConfig config;
    private Duration tickInterval;
    private TopologyTestDriver driver;
    private TestInputTopic<String, Registration> registry;
    private TestInputTopic<String, Heartbeat> heartbeats;
    private TestInputTopic<String, InputTick> ticks;
    private TestOutputTopic<String, StateChange> changes;
    private Instant clock = START;

    @BeforeEach
    void startDriver() {
        config = StateProcessorConfig.fromEnv(Map.of("LLMLB_HEALTH_CHECK_INTERVAL", "0.1"))
                .withTimings(TIMEOUT, Duration.ofMillis(100));
        tickInterval = InputPath.tickInterval(config.checkInterval());
        Properties props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(NodeStateTopology.build(config, DetectorMetrics.NONE), props, START);
        registry = driver.createInputTopic(TOPICS.nodeRegistry(), Serdes.String().serializer(),
                JsonSerde.of(Registration.class).serializer());
        heartbeats = driver.createInputTopic(TOPICS.heartbeats(), Serdes.String().serializer(),
                JsonSerde.of(Heartbeat.class).serializer());
        ticks = driver.createInputTopic(TOPICS.heartbeats(), Serdes.String().serializer(),
                JsonSerde.of(InputTick.class).serializer());
        changes = driver.createOutputTopic(TOPICS.nodeStateChanges(), Serdes.String().deserializer(),
                JsonSerde.of(StateChange.class).deserializer());
        tick();
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void tenthOfASecondIntervalCommitsAndTicksFasterThanTheSweep() {
        assertEquals(Duration.ofMillis(100), config.checkInterval());
        assertEquals(Duration.ofMillis(50), config.commitInterval());
        assertEquals(Duration.ofMillis(50), tickInterval);
    }

    @Test
    void everySilentNodeIsJudgedWithinOneIntervalAndOneTickOfItsDeadline() {
        // Given: 30 nodes that fall silent, each last seen 7 ms after the previous one, so their
        // deadlines fall at every phase of the sweep and of the ticks; 40 nodes keep beating (the
        // mass-silence guard would hold the verdicts of a fleet that fell silent as a whole).
        List<String> silent = new ArrayList<>();
        List<String> beating = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            String id = "gpu-" + i;
            approve(id);
            heartbeat(id);
            (i < 30 ? silent : beating).add(id);
            advance(Duration.ofMillis(7));
        }
        changes.readValuesToList();

        // When: the clock moves a timeout and a second on, one tick at a time.
        for (int second = 0; second <= TIMEOUT.toSeconds(); second++) {
            beating.forEach(this::heartbeat);
            advance(Duration.ofSeconds(1));
        }

        // Then: exactly the silent ones are offline, each judged at or after its deadline and
        // within one interval and one tick of it.
        List<StateChange> timeouts = changes.readValuesToList().stream()
                .filter(change -> change.reason() == Reason.TIMEOUT).toList();
        assertEquals(silent.stream().sorted().toList(), timeouts.stream().map(StateChange::nodeId).sorted().toList());
        Duration bound = config.checkInterval().plus(tickInterval);
        for (StateChange timeout : timeouts) {
            Duration lag = Duration.between(timeout.lastSeen().plus(TIMEOUT), timeout.at());
            assertTrue(!lag.isNegative() && lag.compareTo(bound) <= 0, timeout.nodeId() + " judged " + lag
                    + " after its deadline");
            assertEquals(NodeStatus.OFFLINE, timeout.to());
        }
    }

    @Test
    void aMassExpiryLogsOneSummaryLineInsteadOfALineEachButPublishesEveryTransition() {
        // Given: 120 nodes last seen at the same instant (a rack losing power) and 240 that keep
        // beating, so a third of the fleet expires in one sweep, under the mass-silence guard.
        int silentCount = NodeStateProcessor.TRANSITIONS_LOGGED_PER_SWEEP + 20;
        List<String> beating = new ArrayList<>();
        for (int i = 0; i < silentCount * 3; i++) {
            String id = "rack-" + i;
            approve(id);
            heartbeat(id);
            if (i >= silentCount) {
                beating.add(id);
            }
        }
        changes.readValuesToList();
        List<LogRecord> logged = new ArrayList<>();
        Logger log = Logger.getLogger(NodeStateProcessor.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (log.isLoggable(record.getLevel())) {
                    synchronized (logged) {
                        logged.add(record);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            // When: a timeout and a second pass.
            for (int second = 0; second <= TIMEOUT.toSeconds(); second++) {
                beating.forEach(this::heartbeat);
                advance(Duration.ofSeconds(1));
            }
        } finally {
            log.removeHandler(capture);
        }

        // Then: every verdict is on the change topic, and the log has one summary line for them.
        long timeouts = changes.readValuesToList().stream().filter(change -> change.reason() == Reason.TIMEOUT).count();
        assertEquals(silentCount, timeouts);
        List<String> lines = logged.stream().filter(record -> record.getLevel().intValue() >= Level.INFO.intValue())
                .map(record -> record.getMessage()).toList();
        assertTrue(lines.stream().noneMatch(line -> line.contains("reason=timeout")), lines.toString());
        assertEquals(1, lines.stream().filter(line -> line.contains("judged " + silentCount + " of " + silentCount))
                .count(), lines.toString());
    }

    @Test
    void nodeBeatingJustInsideItsTimeoutIsNeverJudged() {
        approve("steady");
        heartbeat("steady");
        changes.readValuesToList();

        // The node beats 10 ms before each deadline, for five timeouts.
        for (int i = 0; i < 5; i++) {
            advance(TIMEOUT.minusMillis(10));
            heartbeat("steady");
        }

        assertTrue(changes.readValuesToList().stream().noneMatch(change -> change.reason() == Reason.TIMEOUT));
    }

    private void approve(String nodeId) {
        Registration registration = new Registration(nodeId, NodeTokens.sha256Hex(nodeId), false, null, Map.of(),
                clock, RegistryCommand.REGISTERED, clock);
        registry.pipeInput(nodeId, registration, clock);
        registry.pipeInput(nodeId, registration.with(RegistryCommand.APPROVED, clock), clock);
    }

    private void heartbeat(String nodeId) {
        heartbeats.pipeInput(nodeId, new Heartbeat(nodeId, clock, null, null, 0, List.of()), clock);
    }

    /** Moves the wall clock in steps of at most one tick interval; ingest ticks at the start of each step. */
    private void advance(Duration duration) {
        Duration left = duration;
        while (left.isPositive()) {
            Duration step = left.compareTo(tickInterval) < 0 ? left : tickInterval;
            tick();
            clock = clock.plus(step);
            driver.advanceWallClockTime(step);
            left = left.minus(step);
        }
    }

    private void tick() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(InputTick.HEADER, InputTick.HEADER_VALUE.getBytes(StandardCharsets.UTF_8));
        InputTick tick = new InputTick(INGEST, clock);
        ticks.pipeInput(new TestRecord<>(tick.key(), tick, headers, clock));
    }
}
