package io.llmlb.health.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON mapping of the project: snake_case names (the seed's wire format), instants as
 * RFC 3339 strings, unknown fields ignored so older readers survive newer writers.
 */
public final class Json {

    /** Deepest nesting accepted anywhere; a heartbeat needs 3, so anything deep is an attack. */
    public static final int MAX_NESTING_DEPTH = 32;

    /** The shared, thread-safe mapper. */
    public static final ObjectMapper MAPPER = recordMapping()
            // Node states are read and written at every heartbeat and verdict: by hand, same bytes.
            .addModule(NodeStateJson.module())
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    }

    private Json() {
    }

    /**
     * The mapping as databind derives it from the records, without the hand-written node-state
     * codec; {@code NodeStateJsonTest} checks the codec against it.
     */
    static JsonMapper.Builder recordMapping() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .addModule(new JavaTimeModule())
                // After the JavaTimeModule, so it takes over Instant: the same text without DateTimeFormatter.
                .addModule(InstantJson.module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }

    /** Serialises {@code value} to UTF-8 JSON bytes. */
    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + value.getClass().getName(), e);
        }
    }

    /** Parses UTF-8 JSON bytes into {@code type}. */
    public static <T> T fromBytes(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("not a valid " + type.getSimpleName() + " JSON document", e);
        }
    }
}
