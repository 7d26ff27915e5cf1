package io.llmlb.health.wire;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Reads {@code node-registry} records as untrusted input, because whoever writes that topic can
 * approve nodes: a record is used only when its value parses with exact types (no {@code "1"} or
 * {@code 1} for {@code true}, no number for a string), its key is a valid node id equal to its
 * {@code node_id}, and its token hash is 64 lowercase hex digits. Anything else is ignored, never
 * shown, counted or exported, and never taken for a deletion.
 */
public final class RegistryRecords {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper STRICT = strictMapper();

    private RegistryRecords() {
    }

    /** What a registry record turned out to be. */
    public sealed interface Read permits Valid, Deleted, Rejected {
    }

    /** A registration that may be used. */
    public record Valid(Registration registration) implements Read {
    }

    /** A tombstone for a valid node id: the node was deleted. */
    public record Deleted(String nodeId) implements Read {
    }

    /** A record to ignore, and why (for the log; holds no value content). */
    public record Rejected(String reason) implements Read {
    }

    /** Reads the record with {@code key} and raw {@code value} (null: tombstone). */
    public static Read read(String key, byte[] value) {
        if (!NodeIds.isValid(key)) {
            return new Rejected("key is not a valid node id");
        }
        if (value == null) {
            return new Deleted(key);
        }
        Registration registration;
        try {
            registration = STRICT.readValue(value, Registration.class);
        } catch (IOException | RuntimeException e) {
            return new Rejected("value is not a registration with fields of the right types");
        }
        if (registration == null) {
            return new Rejected("value is JSON null");
        }
        String problem = problem(key, registration);
        return problem == null ? new Valid(registration) : new Rejected(problem);
    }

    /** Why {@code registration} under {@code key} cannot be trusted, or null when it can. */
    public static String problem(String key, Registration registration) {
        if (!NodeIds.isValid(registration.nodeId())) {
            return "node_id is not a valid node id";
        }
        if (!registration.nodeId().equals(key)) {
            return "node_id differs from the record key";
        }
        if (registration.tokenSha256() == null || !SHA256_HEX.matcher(registration.tokenSha256()).matches()) {
            return "token_sha256 is not 64 lowercase hex digits";
        }
        if (registration.registeredAt() == null || registration.command() == null) {
            return "registered_at or command is missing";
        }
        int timeoutSecs = registration.timeoutSecs();
        if (timeoutSecs != 0 && (timeoutSecs < Registration.MIN_TIMEOUT_SECS || timeoutSecs > Registration.MAX_TIMEOUT_SECS)) {
            return "timeout_secs is neither 0 nor within " + Registration.MIN_TIMEOUT_SECS + ".."
                    + Registration.MAX_TIMEOUT_SECS;
        }
        return null;
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = ((JsonMapper) Json.MAPPER).rebuild()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // Scalars of the wrong JSON type fail instead of being converted (1 → "1", "true" → true).
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Boolean, LogicalType.Integer,
                LogicalType.Float, LogicalType.DateTime, LogicalType.Enum}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.getFactory().setStreamReadConstraints(Json.MAPPER.getFactory().streamReadConstraints());
        return mapper;
    }
}
