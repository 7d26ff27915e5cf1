package io.llmlb.health.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.wire.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerLimitsTest {

    @Test
    void defaultsLetAnAgentAtItsLongestPeriodKeepItsConnection() {
        ServerLimits limits = ServerLimits.fromEnv(Map.of());
        assertEquals(1000, limits.maxConnections());
        assertTrue(limits.idleTimeout().compareTo(Duration.ofSeconds(60)) > 0);
        assertEquals(Duration.ofSeconds(10), limits.readTimeout());
    }

    @Test
    void readsTheThreeVariables() {
        ServerLimits limits = ServerLimits.fromEnv(Map.of("LLMLB_HTTP_MAX_CONNECTIONS", "50",
                "LLMLB_HTTP_IDLE_TIMEOUT", "5", "LLMLB_HTTP_READ_TIMEOUT", "2"));
        assertEquals(new ServerLimits(50, Duration.ofSeconds(5), Duration.ofSeconds(2)), limits);
    }

    @Test
    void outOfRangeValuesNameTheVariable() {
        ConfigException zero = assertThrows(ConfigException.class,
                () -> ServerLimits.fromEnv(Map.of("LLMLB_HTTP_MAX_CONNECTIONS", "0")));
        assertTrue(zero.getMessage().contains("LLMLB_HTTP_MAX_CONNECTIONS"), zero.getMessage());
        ConfigException text = assertThrows(ConfigException.class,
                () -> ServerLimits.fromEnv(Map.of("LLMLB_HTTP_READ_TIMEOUT", "soon")));
        assertTrue(text.getMessage().contains("LLMLB_HTTP_READ_TIMEOUT"), text.getMessage());
    }
}
