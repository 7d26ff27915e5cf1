package io.llmlb.health.processor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seed's limits table: timeout 30–300 s, check interval 1–60 s (down to 0.1 s since issue 16), checked at start. */
class StateProcessorConfigTest {

    @Test
    void defaultsAreTheSeedsOnes() {
        StateProcessorConfig config = StateProcessorConfig.fromEnv(Map.of());

        assertEquals(Duration.ofSeconds(60), config.nodeTimeout());
        assertEquals(Duration.ofSeconds(10), config.checkInterval());
        assertEquals(Path.of("data", "streams"), config.stateDir());
        assertEquals("llmlb.state-processor", config.applicationId());
    }

    @Test
    void flapSettingsDefaultToFourFlipsInTenMinutesAndAreReadWithinTheirRanges() {
        assertEquals(FlapSettings.DEFAULT, StateProcessorConfig.fromEnv(Map.of()).flapping());
        assertEquals(new FlapSettings(10, Duration.ofSeconds(60)), StateProcessorConfig.fromEnv(
                Map.of("LLMLB_FLAP_THRESHOLD", "10", "LLMLB_FLAP_WINDOW", "60")).flapping());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"LLMLB_FLAP_THRESHOLD, 0, 1..1000", "LLMLB_FLAP_THRESHOLD, 1001, 1..1000",
        "LLMLB_FLAP_WINDOW, 9, 10..86400", "LLMLB_FLAP_WINDOW, 86401, 10..86400", "LLMLB_FLAP_WINDOW, ten, 10..86400"})
    void flapSettingsOutOfRangeAreRefused(String variable, String value, String range) {
        assertRefused(variable, value, range);
    }

    @ParameterizedTest(name = "LLMLB_NODE_TIMEOUT={0}")
    @CsvSource({"30", "45", "300"})
    void nodeTimeoutWithinThirtyToThreeHundredIsAccepted(int seconds) {
        StateProcessorConfig config = StateProcessorConfig.fromEnv(Map.of("LLMLB_NODE_TIMEOUT", String.valueOf(seconds)));

        assertEquals(Duration.ofSeconds(seconds), config.nodeTimeout());
    }

    @ParameterizedTest(name = "LLMLB_NODE_TIMEOUT={0}")
    @CsvSource({"29", "0", "-60", "301", "3600", "sixty", "60s", "1.5"})
    void nodeTimeoutOutsideThirtyToThreeHundredIsRefused(String value) {
        assertRefused("LLMLB_NODE_TIMEOUT", value, "30..300");
    }

    @ParameterizedTest(name = "LLMLB_HEALTH_CHECK_INTERVAL={0}")
    @CsvSource({"0.1, 100", "0.25, 250", "0.5, 500", "1, 1000", "2, 2000", "2.5, 2500", "10, 10000", "60, 60000",
            "60.000, 60000", "' 0.1 ', 100"})
    void checkIntervalFromATenthOfASecondToSixtyIsAccepted(String value, long millis) {
        StateProcessorConfig config = StateProcessorConfig.fromEnv(Map.of("LLMLB_HEALTH_CHECK_INTERVAL", value));

        assertEquals(Duration.ofMillis(millis), config.checkInterval());
    }

    @ParameterizedTest(name = "LLMLB_HEALTH_CHECK_INTERVAL={0}")
    @CsvSource({"0", "0.0", "0.099", "0.05", "-1", "-0.5", "60.001", "61", "ten", "99999999999999999999", "0.1234",
            "1e-1", ".5", "1.", "0,5", "1s"})
    void checkIntervalOutsideATenthToSixtyOrNotADecimalIsRefused(String value) {
        assertRefused("LLMLB_HEALTH_CHECK_INTERVAL", value, "0.1..60");
    }

    @ParameterizedTest(name = "check interval {0} ms commits every {1} ms")
    @CsvSource({"100, 50", "150, 75", "200, 100", "1000, 100", "10000, 100"})
    void commitIntervalIsAHundredMillisecondsOrHalfAShorterCheckInterval(long intervalMillis, long commitMillis) {
        StateProcessorConfig config = StateProcessorConfig.fromEnv(Map.of("LLMLB_HEALTH_CHECK_INTERVAL",
                String.valueOf(intervalMillis / 1000.0)));

        assertEquals(Duration.ofMillis(commitMillis), config.commitInterval());
        assertEquals(config.commitInterval(), config.withTimings(Duration.ofSeconds(30), config.checkInterval())
                .commitInterval());
    }

    @Test
    void blankValueMeansTheDefault() {
        StateProcessorConfig config = StateProcessorConfig.fromEnv(Map.of("LLMLB_NODE_TIMEOUT", "  "));

        assertEquals(Duration.ofSeconds(60), config.nodeTimeout());
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        StateProcessorConfig config = StateProcessorConfig.fromEnv(Map.of("LLMLB_NODE_TIMEOUT", " 90 "));

        assertEquals(Duration.ofSeconds(90), config.nodeTimeout());
    }

    @Test
    void standbyReplicasDefaultToNoneAndAreRead() {
        assertEquals(0, StateProcessorConfig.fromEnv(Map.of()).standbyReplicas());
        assertEquals(1, StateProcessorConfig.fromEnv(Map.of("LLMLB_STANDBY_REPLICAS", "1")).standbyReplicas());
    }

    @ParameterizedTest(name = "LLMLB_STANDBY_REPLICAS={0}")
    @CsvSource({"-1", "9", "one"})
    void standbyReplicasOutsideZeroToEightAreRefused(String value) {
        assertRefused("LLMLB_STANDBY_REPLICAS", value, "0..8");
    }

    @Test
    void streamThreadsDefaultToOneAndAreRead() {
        assertEquals(1, StateProcessorConfig.fromEnv(Map.of()).streamThreads());
        assertEquals(2, StateProcessorConfig.fromEnv(Map.of("LLMLB_STREAM_THREADS", "2")).streamThreads());
    }

    @ParameterizedTest(name = "LLMLB_STREAM_THREADS={0}")
    @CsvSource({"0", "17", "two"})
    void streamThreadsOutsideOneToSixteenAreRefused(String value) {
        assertRefused("LLMLB_STREAM_THREADS", value, "1..16");
    }

    @Test
    void typedConfigRefusesNonPositiveTimings() {
        // Tests use the typed record for short timings; even there a zero interval would spin.
        KafkaSettings kafka = new KafkaSettings("127.0.0.1:9092", new Topics(Topics.DEFAULT_PREFIX), 3, (short) 1);

        assertThrows(IllegalArgumentException.class, () -> new StateProcessorConfig(kafka, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofMillis(100), Path.of("data"), "app", SuspensionSettings.DEFAULT, 0,
                FailoverSettings.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new StateProcessorConfig(kafka, Duration.ofSeconds(3),
                Duration.ofMillis(-1), Duration.ofMillis(100), Path.of("data"), "app", SuspensionSettings.DEFAULT, 0,
                FailoverSettings.DEFAULT));
    }

    @Test
    void failoverDefaultsToDynamicMembershipAndTenSecondSessions() {
        StateProcessorConfig config = StateProcessorConfig.fromEnv(Map.of());

        assertEquals(FailoverSettings.DEFAULT, config.failover());
    }

    @Test
    void staticMembershipTakesTheInstanceIdFromTheHostName() {
        StateProcessorConfig config = StateProcessorConfig.fromEnv(Map.of("LLMLB_STATIC_MEMBERSHIP", "true",
                "HOSTNAME", "f00dcafe", "LLMLB_SESSION_TIMEOUT", "3"));

        assertEquals("state-processor-f00dcafe", config.failover().instanceId());
        assertEquals(Duration.ofSeconds(3), config.failover().sessionTimeout());
        assertEquals(Duration.ofMillis(500), config.failover().heartbeatInterval());
    }

    @Test
    void transactionTimeoutIsReadForTheStreamsProducer() {
        StateProcessorConfig config = StateProcessorConfig.fromEnv(Map.of("LLMLB_TRANSACTION_TIMEOUT", "4"));

        assertEquals(Duration.ofSeconds(4), config.failover().transactionTimeout());
    }

    @ParameterizedTest(name = "LLMLB_TRANSACTION_TIMEOUT={0}")
    @CsvSource({"1", "61", "four"})
    void transactionTimeoutOutsideTwoToSixtyIsRefused(String value) {
        assertRefused("LLMLB_TRANSACTION_TIMEOUT", value, "2..60");
    }

    @ParameterizedTest(name = "LLMLB_SESSION_TIMEOUT={0}")
    @CsvSource({"0", "301", "ten"})
    void sessionTimeoutOutsideOneToThreeHundredIsRefused(String value) {
        assertRefused("LLMLB_SESSION_TIMEOUT", value, "1..300");
    }

    @Test
    void staticMembershipMustBeABoolean() {
        assertRefused("LLMLB_STATIC_MEMBERSHIP", "yes", "true, false");
    }

    private static void assertRefused(String variable, String value, String range) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> StateProcessorConfig.fromEnv(Map.of(variable, value)));

        assertTrue(e.getMessage().contains(variable + "=" + value), e.getMessage());
        assertTrue(e.getMessage().contains(range), e.getMessage());
    }
}
