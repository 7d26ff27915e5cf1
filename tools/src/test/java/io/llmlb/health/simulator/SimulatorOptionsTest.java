package io.llmlb.health.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.wire.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {

    private static SimulatorOptions parse(String... args) {
        return SimulatorOptions.parse(args, Map.of());
    }

    @Test
    void requiredAndOptionalFlags() {
        SimulatorOptions options = parse("--nodes", "10000", "--interval", "10", "--fail", "0.05", "--duration", "5m");

        assertEquals(10_000, options.nodes());
        assertEquals(Duration.ofSeconds(10), options.interval());
        assertEquals(0.05, options.failFraction());
        assertEquals(Duration.ofMinutes(5), options.duration());
        assertEquals(Duration.ofSeconds(90), options.downTime());
        assertEquals(URI.create("http://localhost:8080/"), options.baseUrl());
        assertEquals("admin", options.adminUser());
    }

    @Test
    void runsUntilStoppedWithoutDuration() {
        assertNull(parse("--nodes", "1", "--interval", "0.5").duration());
        assertEquals(Duration.ofMillis(500), parse("--nodes", "1", "--interval", "0.5").interval());
    }

    @Test
    void environmentGivesServerAndAdmin() {
        SimulatorOptions options = SimulatorOptions.parse(new String[] {"--nodes", "1", "--interval", "1"},
                Map.of("LLMLB_URL", "http://router:9000", "LLMLB_ADMIN_USER", "ops", "LLMLB_ADMIN_PASSWORD", "pw"));

        assertEquals(URI.create("http://router:9000/"), options.baseUrl());
        assertEquals("ops", options.adminUser());
        assertEquals("pw", options.adminPassword());
    }

    @Test
    void mistakesAreNamed() {
        assertTrue(assertThrows(ConfigException.class, () -> parse("--interval", "1")).getMessage()
                .startsWith("--nodes and --interval are required"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("--nodes", "1", "--interval", "1", "--fail", "2"))
                .getMessage().startsWith("--fail 2 must be between 0 and 1"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("--nodes", "0", "--interval", "1"))
                .getMessage().startsWith("--nodes 0 is out of range"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("--nodes", "1", "--interval", "soon"))
                .getMessage().startsWith("--interval soon is not a duration"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("--nodes", "1", "--interval", "1", "--bogus", "1"))
                .getMessage().startsWith("unknown option --bogus"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("--nodes")).getMessage()
                .startsWith("--nodes needs a value"));
    }

    @Test
    void nodeIdsArePaddedSoTheySort() {
        assertEquals("sim-00042", parse("--nodes", "100", "--interval", "1").nodeId(42));
        assertEquals("sim-000042", parse("--nodes", "100000", "--interval", "1").nodeId(42));
    }
}
