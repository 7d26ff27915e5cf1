package io.llmlb.health.query.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.query.auth.PasswordHasher;
import io.llmlb.health.query.auth.Role;
import io.llmlb.health.query.auth.UserAccount;
import io.llmlb.health.wire.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryApiConfigTest {

    private static final String SECRET_32 = "abcdefghijklmnopqrstuvwxyz012345";

    @TempDir
    Path dataDir;

    @Test
    void defaultsAreTheSeedsOnes() {
        QueryApiConfig config = QueryApiConfig.fromEnv(env(Map.of()));

        assertEquals(1000, config.maxNodes());
        assertEquals(Duration.ofHours(24), config.jwtTtl());
        assertNull(config.enrollmentKey(), "self-registration is off unless a key is set");
        assertTrue(config.defaultAdminPassword());
        assertEquals(1, config.users().size());
        UserAccount admin = config.users().getFirst();
        assertEquals("admin", admin.username());
        assertEquals(Role.ADMIN, admin.role());
        assertTrue(PasswordHasher.matches("test", admin.passwordHash()));
    }

    @Test
    void grafanaLinkIsOffByDefaultAndTakesAnHttpUrl() {
        assertNull(QueryApiConfig.fromEnv(env(Map.of())).grafanaUrl());
        assertEquals("https://grafana.example/d/llmlb", QueryApiConfig.fromEnv(
                env(Map.of("LLMLB_GRAFANA_URL", "https://grafana.example/d/llmlb"))).grafanaUrl().toString());
    }

    @ParameterizedTest(name = "LLMLB_GRAFANA_URL={0}")
    @CsvSource({"javascript:alert(1)", "grafana.example", "ftp://grafana.example/", "http://", "https://exa mple"})
    void grafanaLinkThatIsNoHttpUrlIsRefusedNamingTheVariable(String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> QueryApiConfig.fromEnv(env(Map.of("LLMLB_GRAFANA_URL", value))));

        assertTrue(e.getMessage().contains("LLMLB_GRAFANA_URL"), e.getMessage());
    }

    @ParameterizedTest(name = "LLMLB_MAX_NODES={0}")
    @CsvSource({"0", "-1", "1000001", "lots", "12.5"})
    void maxNodesOutsideOneToAMillionIsRefusedNamingVariableValueAndRange(String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> QueryApiConfig.fromEnv(env(Map.of("LLMLB_MAX_NODES", value))));

        assertTrue(e.getMessage().contains("LLMLB_MAX_NODES=" + value), e.getMessage());
        assertTrue(e.getMessage().contains("1..1000000"), e.getMessage());
    }

    @ParameterizedTest(name = "LLMLB_MAX_NODES={0}")
    @CsvSource({"1", "1000000"})
    void maxNodesBoundsAreAccepted(int value) {
        assertEquals(value, QueryApiConfig.fromEnv(env(Map.of("LLMLB_MAX_NODES", String.valueOf(value)))).maxNodes());
    }

    @Test
    void jwtSecretThatWasPublishedAsAnExampleIsRefused() {
        // The value docker-compose.yml once defaulted to: a token signed with it registered nodes.
        ConfigException e = assertThrows(ConfigException.class, () -> QueryApiConfig.fromEnv(
                env(Map.of("LLMLB_JWT_SECRET", "change-me-to-a-long-random-secret-of-32-bytes-or-more"))));

        assertTrue(e.getMessage().contains("LLMLB_JWT_SECRET"), e.getMessage());
        assertTrue(e.getMessage().contains("published example"), e.getMessage());
    }

    @Test
    void jwtSecretShorterThan32BytesIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> QueryApiConfig.fromEnv(env(Map.of("LLMLB_JWT_SECRET", SECRET_32.substring(1)))));

        assertTrue(e.getMessage().contains("LLMLB_JWT_SECRET"), e.getMessage());
        assertTrue(e.getMessage().contains("31 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("32"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET_32.substring(1)), "the message must not print the secret");
    }

    @Test
    void jwtSecretIsCountedInBytesNotCharacters() {
        // 16 two-byte characters are 32 bytes: long enough.
        String sixteenUmlauts = "ä".repeat(16);

        QueryApiConfig config = QueryApiConfig.fromEnv(env(Map.of("LLMLB_JWT_SECRET", sixteenUmlauts)));

        assertArrayEquals(sixteenUmlauts.getBytes(StandardCharsets.UTF_8), config.jwtSecret());
    }

    @Test
    void jwtSecretOf32BytesIsUsedAsIs() {
        QueryApiConfig config = QueryApiConfig.fromEnv(env(Map.of("LLMLB_JWT_SECRET", SECRET_32)));

        assertArrayEquals(SECRET_32.getBytes(StandardCharsets.UTF_8), config.jwtSecret());
        assertFalse(Files.exists(dataDir.resolve(JwtSecrets.FILE_NAME)), "no secret file when the secret is given");
    }

    @Test
    void generatedJwtSecretIsPrivateAndSurvivesARestart() throws Exception {
        byte[] first = QueryApiConfig.fromEnv(env(Map.of())).jwtSecret();
        byte[] second = QueryApiConfig.fromEnv(env(Map.of())).jwtSecret();

        assertTrue(first.length >= JwtSecrets.MIN_SECRET_BYTES);
        assertArrayEquals(first, second);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve(JwtSecrets.FILE_NAME))));
    }

    @ParameterizedTest(name = "LLMLB_JWT_TTL={0}")
    @CsvSource({"59", "2592001", "one-day"})
    void jwtTtlOutOfRangeIsRefused(String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> QueryApiConfig.fromEnv(env(Map.of("LLMLB_JWT_TTL", value))));

        assertTrue(e.getMessage().contains("LLMLB_JWT_TTL=" + value), e.getMessage());
    }

    @Test
    void viewersAreReadFromUserPasswordPairs() {
        QueryApiConfig config = QueryApiConfig.fromEnv(env(Map.of("LLMLB_VIEWERS", "alice:secret1, bob:pa:ss")));

        assertEquals(3, config.users().size());
        UserAccount alice = config.users().get(1);
        UserAccount bob = config.users().get(2);
        assertEquals("alice", alice.username());
        assertEquals(Role.VIEWER, alice.role());
        assertTrue(PasswordHasher.matches("secret1", alice.passwordHash()));
        assertEquals("bob", bob.username());
        assertTrue(PasswordHasher.matches("pa:ss", bob.passwordHash()), "only the first colon separates");
    }

    @ParameterizedTest(name = "LLMLB_VIEWERS={0}")
    @CsvSource(delimiter = '|', value = {"alice", "alice:", ":secret", "alice:secret,,bob:pw"})
    void malformedViewersAreRefused(String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> QueryApiConfig.fromEnv(env(Map.of("LLMLB_VIEWERS", value))));

        assertTrue(e.getMessage().contains("LLMLB_VIEWERS"), e.getMessage());
    }

    @Test
    void usersFileAddsAdminsAndViewers() throws Exception {
        Path file = dataDir.resolve("users");
        Files.writeString(file, "# operators\n\ncarol:admin:c-pass\ndave:viewer:d-pass\n");

        QueryApiConfig config = QueryApiConfig.fromEnv(env(Map.of("LLMLB_USERS_FILE", file.toString())));

        assertEquals(3, config.users().size());
        assertEquals(Role.ADMIN, config.users().get(1).role());
        assertEquals(Role.VIEWER, config.users().get(2).role());
    }

    @Test
    void usersFileWithAnUnknownRoleIsRefused() throws Exception {
        Path file = dataDir.resolve("users");
        Files.writeString(file, "carol:root:c-pass\n");

        ConfigException e = assertThrows(ConfigException.class,
                () -> QueryApiConfig.fromEnv(env(Map.of("LLMLB_USERS_FILE", file.toString()))));

        assertTrue(e.getMessage().contains("root"), e.getMessage());
    }

    @Test
    void describeMasksSecrets() {
        QueryApiConfig config = QueryApiConfig.fromEnv(env(Map.of("LLMLB_JWT_SECRET", SECRET_32,
                "LLMLB_ADMIN_PASSWORD", "admin-pass-xyz", "LLMLB_VIEWERS", "alice:alice-pass-xyz",
                "LLMLB_ENROLLMENT_KEY", "enrol-key-xyz-0123456789")));

        String described = config.describe();

        assertTrue(described.contains("alice(viewer)"), described);
        assertTrue(described.contains("enrollment=on"), described);
        for (String secret : new String[] {SECRET_32, "admin-pass-xyz", "alice-pass-xyz", "enrol-key-xyz-0123456789"}) {
            assertFalse(described.contains(secret), described);
        }
    }

    @Test
    void enrollmentKeyShorterThanSixteenCharactersIsRefusedAtStart() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> QueryApiConfig.fromEnv(env(Map.of("LLMLB_ENROLLMENT_KEY", "fifteen-chars-x"))));

        assertTrue(e.getMessage().contains("LLMLB_ENROLLMENT_KEY") && e.getMessage().contains("16"), e.getMessage());
        assertEquals("sixteen-chars-xy", QueryApiConfig.fromEnv(env(Map.of("LLMLB_ENROLLMENT_KEY", "sixteen-chars-xy")))
                .enrollmentKey());
    }

    @Test
    void clientLimitsHaveTheDocumentedDefaults() {
        ClientLimits limits = QueryApiConfig.fromEnv(env(Map.of())).limits();

        assertTrue(limits.trustedProxies().isEmpty(), "nobody is trusted by default");
        assertEquals(1, limits.loginThreads());
        assertEquals(16, limits.loginQueue());
        assertEquals(100, limits.maxPendingEnrolled());
        assertEquals(Duration.ofHours(24), limits.pendingEnrolledExpiry());
        assertEquals(8, limits.eventStreamsPerUser());
    }

    @Test
    void clientLimitsOutOfRangeOrMalformedAreRefusedNamingTheVariable() {
        for (Map.Entry<String, String> bad : Map.of("LLMLB_LOGIN_THREADS", "0", "LLMLB_LOGIN_QUEUE", "1001",
                "LLMLB_MAX_PENDING_ENROLLED", "0", "LLMLB_PENDING_ENROLLED_EXPIRY", "59",
                "LLMLB_EVENT_STREAMS_PER_USER", "257", "LLMLB_TRUSTED_PROXIES", "10.0.0.0/8,gateway").entrySet()) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> QueryApiConfig.fromEnv(env(Map.of(bad.getKey(), bad.getValue()))), bad.toString());
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }

    private Map<String, String> env(Map<String, String> values) {
        Map<String, String> env = new HashMap<>(values);
        env.put("LLMLB_DATA_DIR", dataDir.toString());
        return env;
    }
}
