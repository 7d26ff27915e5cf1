package io.llmlb.health.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
