package io.llmlb.health.query.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.StateChange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a node looks in the API: the seed's {@code id}, {@code state}, {@code last_seen}
 * (RFC 3339, UTC, whole seconds like {@code 2025-01-01T12:00:00Z}) first, then the extras. Written
 * field by field to a streaming generator, straight from the view's compact entry: a list of
 * 100,000 nodes is never a tree of maps in memory.
 */
final class NodeJson {

    /** A field of a node, as {@code fields=} names it. */
    enum Field {
        ID, STATE, LAST_SEEN, APPROVED, MACHINE_NAME, LABELS, REGISTERED_AT, ONLINE_SINCE, UPTIME_SECONDS,
        HEARTBEATS, TIMEOUTS, DEADLINE, STATE_SINCE, GPU_METRICS, SYSTEM_METRICS, ACTIVE_REQUESTS, LOADED_MODELS,
        MAINTENANCE, FLAPPING, TIMEOUT_SECS, HEARTBEAT_INTERVAL_SECS, INTERVAL_EXCEEDS_TIMEOUT;

        final String wireName = name().toLowerCase(Locale.ROOT);
        /** The name as UTF-8 bytes, quoted once: written per node, char by char it was the list's largest cost. */
        final SerializedString serialized = new SerializedString(wireName);

        static Optional<Field> named(String wireName) {
            return Arrays.stream(values()).filter(field -> field.wireName.equals(wireName)).findFirst();
        }

        static String names() {
            return Arrays.stream(values()).map(field -> field.wireName).collect(Collectors.joining(", "));
        }
    }

    static final Set<Field> ALL_FIELDS = EnumSet.allOf(Field.class);

    private static final SerializedString[] STATE_NAMES = Arrays.stream(NodeStatus.values())
            .map(state -> new SerializedString(state.wireName())).toArray(SerializedString[]::new);
    private static final SerializedString USAGE = new SerializedString("usage");
    private static final SerializedString VRAM_USAGE = new SerializedString("vram_usage");
    private static final SerializedString TEMPERATURE = new SerializedString("temperature");
    private static final SerializedString CPU_USAGE = new SerializedString("cpu_usage");
    private static final SerializedString MEMORY_USAGE = new SerializedString("memory_usage");

    private NodeJson() {
    }

    /** Writes {@code node} as one JSON object with {@code fields}. */
    static void write(JsonGenerator json, NodeEntry node, Instant now, Set<Field> fields) throws IOException {
        json.writeStartObject();
        writeFields(json, node, now, fields);
        json.writeEndObject();
    }

    /** The node's detail: every field, then its recent transitions. */
    static byte[] detail(NodeEntry node, Instant now, List<StateChange> transitions) {
        return bytes(json -> {
            json.writeStartObject();
            writeFields(json, node, now, ALL_FIELDS);
            json.writeArrayFieldStart("transitions");
            for (StateChange change : transitions) {
                transition(json, change);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** One node as a JSON document (a live event). */
    static byte[] of(NodeEntry node, Instant now) {
        return bytes(json -> write(json, node, now, ALL_FIELDS));
    }

    /** A JSON document written by {@code body}. */
    static byte[] bytes(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = generator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A generator with the project's JSON settings on {@code out}; closing it does not close {@code out}. */
    static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return json;
    }

    /** What writes a document. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static void writeFields(JsonGenerator json, NodeEntry node, Instant now, Set<Field> fields)
            throws IOException {
        for (Field field : fields) {
            json.writeFieldName(field.serialized);
            switch (field) {
                case ID -> json.writeString(node.nodeId());
                case STATE -> json.writeString(STATE_NAMES[node.state().ordinal()]);
                case LAST_SEEN -> time(json, node.lastSeen());
                case APPROVED -> json.writeBoolean(node.approved());
                case MACHINE_NAME -> json.writeString(node.machineName());
                case LABELS -> {
                    json.writeStartObject();
                    for (Map.Entry<String, String> label : node.labels().entrySet()) {
                        json.writeStringField(label.getKey(), label.getValue());
                    }
                    json.writeEndObject();
                }
                case REGISTERED_AT -> time(json, node.registeredAt());
                case ONLINE_SINCE -> time(json, node.onlineSince());
                case UPTIME_SECONDS -> {
                    long uptime = node.uptimeSeconds(now);
                    if (uptime < 0) {
                        json.writeNull();
                    } else {
                        json.writeNumber(uptime);
                    }
                }
                case HEARTBEATS -> json.writeNumber(node.heartbeats());
                case TIMEOUTS -> json.writeNumber(node.timeouts());
                // For the dashboard's per-row clock: time left until the deadline, or how long offline.
                case DEADLINE -> time(json, node.deadline());
                case STATE_SINCE -> time(json, node.stateSince());
                case GPU_METRICS -> {
                    if (node.hasGpu()) {
                        json.writeStartObject();
                        figure(json, USAGE, node.gpuUsage());
                        figure(json, VRAM_USAGE, node.vramUsage());
                        figure(json, TEMPERATURE, node.temperature());
                        json.writeEndObject();
                    } else {
                        json.writeNull();
                    }
                }
                case SYSTEM_METRICS -> {
                    if (node.hasSystem()) {
                        json.writeStartObject();
                        figure(json, CPU_USAGE, node.cpuUsage());
                        figure(json, MEMORY_USAGE, node.memoryUsage());
                        json.writeEndObject();
                    } else {
                        json.writeNull();
                    }
                }
                case ACTIVE_REQUESTS -> {
                    if (node.activeRequests() == NodeEntry.NO_COUNT) {
                        json.writeNull();
                    } else {
                        json.writeNumber(node.activeRequests());
                    }
                }
                case MAINTENANCE -> json.writeBoolean(node.maintenance());
                case FLAPPING -> json.writeBoolean(node.flapping());
                // The admin's own timeout; null: the fleet's LLMLB_NODE_TIMEOUT.
                case TIMEOUT_SECS -> secondsOrNull(json, node.timeoutSecs());
                case HEARTBEAT_INTERVAL_SECS -> secondsOrNull(json, node.declaredIntervalSecs());
                case INTERVAL_EXCEEDS_TIMEOUT -> json.writeBoolean(node.intervalTooLong());
                case LOADED_MODELS -> {
                    if (node.loadedModels() == null) {
                        json.writeNull();
                    } else {
                        json.writeStartArray();
                        for (String model : node.loadedModels()) {
                            json.writeString(model);
                        }
                        json.writeEndArray();
                    }
                }
            }
        }
    }

    private static void secondsOrNull(JsonGenerator json, int seconds) throws IOException {
        if (seconds == 0) {
            json.writeNull();
        } else {
            json.writeNumber(seconds);
        }
    }

    /** Whether the boolean {@code flag} (maintenance, flapping, interval_exceeds_timeout) is set on {@code node}. */
    static boolean hasFlag(NodeEntry node, Field flag) {
        return switch (flag) {
            case MAINTENANCE -> node.maintenance();
            case FLAPPING -> node.flapping();
            case INTERVAL_EXCEEDS_TIMEOUT -> node.intervalTooLong();
            default -> throw new IllegalArgumentException(flag + " is not a flag");
        };
    }

    /** The fields {@code flag=} may name. */
    static final Set<Field> FLAGS = EnumSet.of(Field.MAINTENANCE, Field.FLAPPING, Field.INTERVAL_EXCEEDS_TIMEOUT);

    private static void figure(JsonGenerator json, SerializedString name, double value) throws IOException {
        json.writeFieldName(name);
        if (Double.isNaN(value)) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }

    /** One buffer per writing thread for {@link #time}: five times per node, no garbage. */
    private static final ThreadLocal<char[]> TIME_TEXT = ThreadLocal.withInitial(() -> new char[40]);

    private static void time(JsonGenerator json, long epochMillis) throws IOException {
        if (epochMillis == NodeEntry.NONE) {
            json.writeNull();
        } else {
            char[] text = TIME_TEXT.get();
            json.writeString(text, 0, Rfc3339.write(epochMillis, text));
        }
    }

    /** One transition as the API shows it: {@code {"from","to","reason","at","last_seen","seq"}}. */
    static Map<String, Object> transition(StateChange change) {
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("from", change.from() == null ? null : change.from().wireName());
        json.put("to", change.to() == null ? null : change.to().wireName());
        json.put("reason", change.reason());
        json.put("at", rfc3339(change.at()));
        json.put("last_seen", rfc3339(change.lastSeen()));
        json.put("seq", change.seq());
        return json;
    }

    /** The same transition, written to a generator. */
    private static void transition(JsonGenerator json, StateChange change) throws IOException {
        json.writeStartObject();
        json.writeStringField("from", change.from() == null ? null : change.from().wireName());
        json.writeStringField("to", change.to() == null ? null : change.to().wireName());
        json.writeStringField("reason", change.reason() == null ? null : change.reason().wireName());
        json.writeStringField("at", rfc3339(change.at()));
        json.writeStringField("last_seen", rfc3339(change.lastSeen()));
        json.writeNumberField("seq", change.seq());
        json.writeEndObject();
    }

    static String rfc3339(Instant instant) {
        return Rfc3339.of(instant);
    }
}
