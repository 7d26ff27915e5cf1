package io.llmlb.health.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvReaderTest {

    @Test
    void unsetVariableGivesTheDefault() {
        assertEquals(60, new EnvReader(Map.of()).intInRange("LLMLB_NODE_TIMEOUT", 60, 30, 300));
    }

    @Test
    void outOfRangeValueNamesVariableValueAndRange() {
        EnvReader env = new EnvReader(Map.of("LLMLB_NODE_TIMEOUT", "5"));

        ConfigException e = assertThrows(ConfigException.class, () -> env.intInRange("LLMLB_NODE_TIMEOUT", 60, 30, 300));

        assertTrue(e.getMessage().contains("LLMLB_NODE_TIMEOUT=5"), e.getMessage());
        assertTrue(e.getMessage().contains("30..300"), e.getMessage());
    }

    @Test
    void nonNumberIsRefused() {
        EnvReader env = new EnvReader(Map.of("LLMLB_MAX_NODES", "lots"));

        ConfigException e = assertThrows(ConfigException.class, () -> env.intInRange("LLMLB_MAX_NODES", 1000, 1, 1_000_000));

        assertTrue(e.getMessage().contains("not a whole number"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} s")
    @CsvSource({"0.1, 100", "0.25, 250", "2, 2000", "60, 60000"})
    void decimalSecondsTakeUpToThreeDecimals(String value, long millis) {
        EnvReader env = new EnvReader(Map.of("INTERVAL", value));

        assertEquals(Duration.ofMillis(millis),
                env.decimalSeconds("INTERVAL", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(60)));
    }

    @Test
    void decimalSecondsUnsetGiveTheDefault() {
        assertEquals(Duration.ofSeconds(10), new EnvReader(Map.of())
                .decimalSeconds("INTERVAL", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(60)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0.05, out of range", "61, out of range", "0.1234, at most 3 decimals", "1e-1, at most 3 decimals",
            "fast, at most 3 decimals"})
    void decimalSecondsRefusalNamesVariableValueAndRange(String value, String why) {
        EnvReader env = new EnvReader(Map.of("INTERVAL", value));

        ConfigException e = assertThrows(ConfigException.class, () ->
                env.decimalSeconds("INTERVAL", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(60)));

        assertTrue(e.getMessage().contains("INTERVAL=" + value), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains("0.1..60"), e.getMessage());
    }

    @ParameterizedTest(name = "check interval {0} ms: ticks every {1} ms")
    @CsvSource({"100, 50", "250, 125", "1000, 500", "2000, 1000", "10000, 1000", "60000, 1000"})
    void ingestTicksEverySecondOrHalfAShorterCheckInterval(long checkMillis, long tickMillis) {
        assertEquals(Duration.ofMillis(tickMillis), InputPath.tickInterval(Duration.ofMillis(checkMillis)));
    }
}
