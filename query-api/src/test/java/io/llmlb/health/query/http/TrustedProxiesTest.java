package io.llmlb.health.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.wire.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code LLMLB_TRUSTED_PROXIES} and the client address it lets {@code X-Forwarded-For} name. */
class TrustedProxiesTest {

    private final TrustedProxies gateway = TrustedProxies.parse("10.0.0.0/8, 192.0.2.5, fd00::/8, ::1");
    private final ClientAddresses clients = new ClientAddresses(gateway);

    @Test
    void addressesAndBlocksOfBothFamiliesAreTrusted() {
        assertTrue(gateway.trusts("10.1.2.3"));
        assertTrue(gateway.trusts("192.0.2.5"));
        assertTrue(gateway.trusts("fd12:3456::1"));
        assertTrue(gateway.trusts("0:0:0:0:0:0:0:1"));
        assertFalse(gateway.trusts("11.0.0.1"));
        assertFalse(gateway.trusts("192.0.2.6"));
        assertFalse(gateway.trusts("fe80::1"));
        assertFalse(gateway.trusts("localhost"), "a name is never an address here");
        assertFalse(TrustedProxies.parse("").trusts("127.0.0.1"), "empty trusts nobody");
    }

    @Test
    void clientIsTheRightmostUntrustedHop() {
        assertEquals("203.0.113.9", clients.resolve("10.0.0.2", List.of("198.51.100.1", "203.0.113.9")),
                "what the client itself put to the left is not believed");
        assertEquals("203.0.113.9", clients.resolve("10.0.0.2", List.of("203.0.113.9", "10.9.9.9")),
                "a chain of trusted proxies is walked");
        assertEquals("2001:db8:0:0:0:0:0:1", clients.resolve("::1", List.of("2001:DB8::1")), "one spelling per address");
        assertEquals("10.0.0.2", clients.resolve("10.0.0.2", List.of()), "no header: the proxy itself");
        assertEquals("10.9.9.9", clients.resolve("10.0.0.2", List.of("203.0.113.9", "not-an-ip", "10.9.9.9")),
                "garbage ends the walk at the last trusted hop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "10.0.0.0/33", "::/129", "10.0.0.256", "1.2.3", "10.0.0.0/x", "fe80::1%eth0"})
    void anythingButAddressesAndBlocksIsRefusedNamingTheVariable(String entry) {
        ConfigException e = assertThrows(ConfigException.class, () -> TrustedProxies.parse("127.0.0.1," + entry));

        assertTrue(e.getMessage().startsWith("LLMLB_TRUSTED_PROXIES"), e.getMessage());
    }
}
