package io.llmlb.health.processor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.wire.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessorServerConfigTest {

    @Test
    void portDefaultsTo8080() {
        assertEquals(8080, ProcessorServerConfig.fromEnv(Map.of()).port());
    }

    @Test
    void portComesFromLlmlbPort() {
        assertEquals(9100, ProcessorServerConfig.fromEnv(Map.of("LLMLB_PORT", "9100")).port());
    }

    @Test
    void aPortOutOfRangeIsRefusedNamingTheVariable() {
        ConfigException refused = assertThrows(ConfigException.class,
                () -> ProcessorServerConfig.fromEnv(Map.of("LLMLB_PORT", "70000")));
        assertTrue(refused.getMessage().contains("LLMLB_PORT"), refused.getMessage());
    }
}
