package io.llmlb.health.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RegistryRecordsTest {

    private static final String HASH = NodeTokens.sha256Hex("token");

    static String registration(String nodeId, String hash, String approved) {
        return "{\"node_id\":" + nodeId + ",\"token_sha256\":" + hash + ",\"approved\":" + approved
                + ",\"machine_name\":null,\"labels\":{},\"registered_at\":\"2026-11-28T02:03:57Z\","
                + "\"command\":\"APPROVED\",\"command_at\":\"2026-11-28T02:03:57Z\"}";
    }

    /** {@code json} with {@code fields} added at its end. */
    private static String withFields(String json, String fields) {
        return json.substring(0, json.lastIndexOf('}')) + "," + fields + "}";
    }

    private static RegistryRecords.Read read(String key, String json) {
        return RegistryRecords.read(key, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wellFormedRegistrationIsUsed() {
        RegistryRecords.Read read = read("node-1", registration("\"node-1\"", "\"" + HASH + "\"", "true"));

        Registration registration = assertInstanceOf(RegistryRecords.Valid.class, read).registration();
        assertTrue(registration.approved());
        assertEquals(HASH, registration.tokenSha256());
    }

    @Test
    void entryWrittenBeforeMaintenanceAndOwnTimeoutsExistedHasNeither() {
        Registration registration = assertInstanceOf(RegistryRecords.Valid.class,
                read("node-1", registration("\"node-1\"", "\"" + HASH + "\"", "true"))).registration();

        assertFalse(registration.maintenance());
        assertEquals(0, registration.timeoutSecs());
    }

    @Test
    void maintenanceAndOwnTimeoutAreReadAndATimeoutOutOfRangeIsRejected() {
        String base = registration("\"node-1\"", "\"" + HASH + "\"", "true");
        String withSettings = withFields(base, "\"maintenance\":true,\"timeout_secs\":120");
        Registration registration = assertInstanceOf(RegistryRecords.Valid.class, read("node-1", withSettings))
                .registration();
        assertTrue(registration.maintenance());
        assertEquals(120, registration.timeoutSecs());

        assertInstanceOf(RegistryRecords.Rejected.class,
                read("node-1", withFields(base, "\"timeout_secs\":5")));
        assertInstanceOf(RegistryRecords.Rejected.class,
                read("node-1", withFields(base, "\"maintenance\":\"yes\"")));
    }

    @Test
    void tombstoneOfAValidIdIsADeletion() {
        assertEquals(new RegistryRecords.Deleted("node-1"), read("node-1", null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "invalid id in key and value    | rogue \"id\"<b> | \"rogue \\\"id\\\"<b>\" | \"HASH\" | true",
        "node_id differs from key       | node-1          | \"node-2\"             | \"HASH\" | true",
        "upper-case hash                | node-1          | \"node-1\"             | \"UPPER\" | true",
        "short hash                     | node-1          | \"node-1\"             | \"abc123\" | true",
        "hash missing                   | node-1          | \"node-1\"             | null     | true",
        "approved as a string           | node-1          | \"node-1\"             | \"HASH\" | \"true\"",
        "approved as a number           | node-1          | \"node-1\"             | \"HASH\" | 1",
        "approved as an object          | node-1          | \"node-1\"             | \"HASH\" | {}",
        "node_id as a number            | 5               | 5                      | \"HASH\" | true",
        "hash as an array               | node-1          | \"node-1\"             | [1]      | true",
    })
    void untrustedRegistrationIsRejectedNotDeleted(String kind, String key, String nodeId, String hash, String approved) {
        String json = registration(nodeId, hash.replace("HASH", HASH).replace("UPPER", HASH.toUpperCase()), approved);

        assertInstanceOf(RegistryRecords.Rejected.class, read(key, json), kind + ": " + json);
    }

    @Test
    void unreadableValuesAndInvalidTombstonesAreRejected() {
        assertInstanceOf(RegistryRecords.Rejected.class, read("node-1", "not json"));
        assertInstanceOf(RegistryRecords.Rejected.class, read("node-1", "null"));
        assertInstanceOf(RegistryRecords.Rejected.class, read("node-1", "{\"node_id\":\"node-1\",\"labels\":{\"a\":{}}}"));
        assertInstanceOf(RegistryRecords.Rejected.class, read("../admin", null));
        assertInstanceOf(RegistryRecords.Rejected.class, read(null, null));
    }

    @Test
    void rejectionIsLoggedOncePerKeyAndReasonWithTheKeyEscaped() {
        Logger logger = Logger.getLogger("registry-records-test");
        logger.setUseParentHandlers(false);
        List<String> lines = new ArrayList<>();
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        RejectedRecordLog log = new RejectedRecordLog(logger, "test reader");

        assertTrue(log.rejected("llmlb.node-registry", 0, 7, "evil\nINFO forged line", "key is not a valid node id"));
        assertFalse(log.rejected("llmlb.node-registry", 0, 8, "evil\nINFO forged line", "key is not a valid node id"));
        assertTrue(log.rejected("llmlb.node-registry", 0, 9, "other", "key is not a valid node id"));

        assertEquals(2, lines.size(), lines.toString());
        assertFalse(lines.get(0).contains("\n"), lines.get(0));
        assertTrue(lines.get(0).contains("key=\"evil\\u000aINFO forged line\""), lines.get(0));
    }
}
