package io.llmlb.health.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link NodeState} (with its {@link NodeMetrics}, {@link GpuMetrics}, {@link SystemMetrics} and
 * {@link NodeSupervision}) in JSON, field by field, without databind's reflection: a node's state
 * is decoded and encoded at every heartbeat and every verdict, and through the record mapping
 * (a reflective call per accessor on the way out, a buffered creator call on the way in) it was
 * about a third of a verdict's cost when 40,000 nodes expired together (docs/benchmarks.md, figure 9d).
 *
 * <p>It writes exactly the bytes the record mapping wrote (tested on random states): the same
 * names, order and nulls, {@code supervision} left out when null. On the way in each value whose
 * token is the usual one (a string for a string, a number for a number, null) is read here; any
 * other token goes to the mapper's own deserializer for that type, so what the mapping coerced,
 * accepted or refused before it still does. Unknown fields are skipped, as the mapper does.
 */
final class NodeStateJson {

    private static final JavaType LABELS = TypeFactory.defaultInstance()
            .constructMapType(Map.class, String.class, String.class);
    private static final JavaType MODELS = TypeFactory.defaultInstance()
            .constructCollectionType(List.class, String.class);

    private NodeStateJson() {
    }

    /** The module that puts both into the mapper. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("llmlb-node-state");
        module.addSerializer(NodeState.class, new Writer());
        module.addDeserializer(NodeState.class, new Reader());
        return module;
    }

    private static final class Writer extends StdSerializer<NodeState> {

        Writer() {
            super(NodeState.class);
        }

        @Override
        public void serialize(NodeState node, JsonGenerator json, SerializerProvider provider) throws IOException {
            json.writeStartObject(node);
            json.writeStringField("node_id", node.nodeId());
            json.writeFieldName("state");
            if (node.state() == null) {
                json.writeNull();
            } else {
                json.writeString(node.state().wireName());
            }
            json.writeBooleanField("approved", node.approved());
            json.writeStringField("machine_name", node.machineName());
            json.writeFieldName("labels");
            writeLabels(node.labels(), json);
            writeInstant("registered_at", node.registeredAt(), json, provider);
            writeInstant("last_seen", node.lastSeen(), json, provider);
            writeInstant("online_since", node.onlineSince(), json, provider);
            writeInstant("deadline", node.deadline(), json, provider);
            json.writeNumberField("heartbeats", node.heartbeats());
            json.writeNumberField("timeouts", node.timeouts());
            json.writeNumberField("seq", node.seq());
            writeInstant("last_change_at", node.lastChangeAt(), json, provider);
            json.writeFieldName("latest");
            writeMetrics(node.latest(), json);
            if (node.supervision() != null) {
                json.writeFieldName("supervision");
                writeSupervision(node.supervision(), json, provider);
            }
            json.writeEndObject();
        }

        private static void writeLabels(Map<String, String> labels, JsonGenerator json) throws IOException {
            if (labels == null) {
                json.writeNull();
                return;
            }
            json.writeStartObject();
            for (Map.Entry<String, String> label : labels.entrySet()) {
                json.writeStringField(label.getKey(), label.getValue());
            }
            json.writeEndObject();
        }

        private static void writeMetrics(NodeMetrics metrics, JsonGenerator json) throws IOException {
            if (metrics == null) {
                json.writeNull();
                return;
            }
            json.writeStartObject();
            json.writeFieldName("gpu_metrics");
            GpuMetrics gpu = metrics.gpuMetrics();
            if (gpu == null) {
                json.writeNull();
            } else {
                json.writeStartObject();
                writeFigure("usage", gpu.usage(), json);
                writeFigure("vram_usage", gpu.vramUsage(), json);
                writeFigure("temperature", gpu.temperature(), json);
                json.writeEndObject();
            }
            json.writeFieldName("system_metrics");
            SystemMetrics system = metrics.systemMetrics();
            if (system == null) {
                json.writeNull();
            } else {
                json.writeStartObject();
                writeFigure("cpu_usage", system.cpuUsage(), json);
                writeFigure("memory_usage", system.memoryUsage(), json);
                json.writeEndObject();
            }
            json.writeFieldName("active_requests");
            if (metrics.activeRequests() == null) {
                json.writeNull();
            } else {
                json.writeNumber(metrics.activeRequests());
            }
            json.writeFieldName("loaded_models");
            List<String> models = metrics.loadedModels();
            if (models == null) {
                json.writeNull();
            } else {
                json.writeStartArray();
                for (String model : models) {
                    json.writeString(model);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }

        private static void writeSupervision(NodeSupervision supervision, JsonGenerator json,
                                             SerializerProvider provider) throws IOException {
            json.writeStartObject();
            json.writeBooleanField("maintenance", supervision.maintenance());
            json.writeNumberField("timeout_secs", supervision.timeoutSecs());
            json.writeNumberField("declared_interval_secs", supervision.declaredIntervalSecs());
            json.writeBooleanField("interval_too_long", supervision.intervalTooLong());
            json.writeBooleanField("flapping", supervision.flapping());
            json.writeNumberField("flips", supervision.flips());
            writeInstant("flip_window_start", supervision.flipWindowStart(), json, provider);
            writeInstant("last_flip", supervision.lastFlip(), json, provider);
            json.writeEndObject();
        }

        private static void writeFigure(String name, Double value, JsonGenerator json) throws IOException {
            json.writeFieldName(name);
            if (value == null) {
                json.writeNull();
            } else {
                json.writeNumber(value.doubleValue());
            }
        }

        private static void writeInstant(String name, Instant value, JsonGenerator json, SerializerProvider provider)
                throws IOException {
            json.writeFieldName(name);
            if (value == null) {
                json.writeNull();
            } else {
                provider.findValueSerializer(Instant.class).serialize(value, json, provider);
            }
        }
    }

    private static final class Reader extends StdDeserializer<NodeState> {

        Reader() {
            super(NodeState.class);
        }

        @Override
        public NodeState deserialize(JsonParser json, DeserializationContext context) throws IOException {
            String nodeId = null;
            NodeStatus state = null;
            boolean approved = false;
            String machineName = null;
            Map<String, String> labels = null;
            Instant registeredAt = null;
            Instant lastSeen = null;
            Instant onlineSince = null;
            Instant deadline = null;
            long heartbeats = 0;
            long timeouts = 0;
            long seq = 0;
            Instant lastChangeAt = null;
            NodeMetrics latest = null;
            NodeSupervision supervision = null;
            for (String field = firstField(json, context, NodeState.class); field != null; field = json.nextFieldName()) {
                json.nextToken();
                switch (field) {
                    case "node_id" -> nodeId = string(json, context);
                    case "state" -> state = status(json, context);
                    case "approved" -> approved = flag(json, context);
                    case "machine_name" -> machineName = string(json, context);
                    case "labels" -> labels = labels(json, context);
                    case "registered_at" -> registeredAt = instant(json, context);
                    case "last_seen" -> lastSeen = instant(json, context);
                    case "online_since" -> onlineSince = instant(json, context);
                    case "deadline" -> deadline = instant(json, context);
                    case "heartbeats" -> heartbeats = count(json, context);
                    case "timeouts" -> timeouts = count(json, context);
                    case "seq" -> seq = count(json, context);
                    case "last_change_at" -> lastChangeAt = instant(json, context);
                    case "latest" -> latest = metrics(json, context);
                    case "supervision" -> supervision = supervision(json, context);
                    default -> json.skipChildren();
                }
            }
            return new NodeState(nodeId, state, approved, machineName, labels, registeredAt, lastSeen, onlineSince,
                    deadline, heartbeats, timeouts, seq, lastChangeAt, latest, supervision);
        }

        private static NodeMetrics metrics(JsonParser json, DeserializationContext context) throws IOException {
            if (json.hasToken(JsonToken.VALUE_NULL)) {
                return null;
            }
            GpuMetrics gpu = null;
            SystemMetrics system = null;
            Integer activeRequests = null;
            List<String> models = null;
            for (String field = firstField(json, context, NodeMetrics.class); field != null; field = json.nextFieldName()) {
                json.nextToken();
                switch (field) {
                    case "gpu_metrics" -> gpu = gpu(json, context);
                    case "system_metrics" -> system = system(json, context);
                    case "active_requests" -> activeRequests = switch (json.currentToken()) {
                        case VALUE_NUMBER_INT -> json.getIntValue();
                        case VALUE_NULL -> null;
                        default -> context.readValue(json, Integer.class);
                    };
                    case "loaded_models" -> models = models(json, context);
                    default -> json.skipChildren();
                }
            }
            return new NodeMetrics(gpu, system, activeRequests, models);
        }

        private static GpuMetrics gpu(JsonParser json, DeserializationContext context) throws IOException {
            if (json.hasToken(JsonToken.VALUE_NULL)) {
                return null;
            }
            Double usage = null;
            Double vramUsage = null;
            Double temperature = null;
            for (String field = firstField(json, context, GpuMetrics.class); field != null; field = json.nextFieldName()) {
                json.nextToken();
                switch (field) {
                    case "usage" -> usage = figure(json, context);
                    case "vram_usage" -> vramUsage = figure(json, context);
                    case "temperature" -> temperature = figure(json, context);
                    default -> json.skipChildren();
                }
            }
            return new GpuMetrics(usage, vramUsage, temperature);
        }

        private static SystemMetrics system(JsonParser json, DeserializationContext context) throws IOException {
            if (json.hasToken(JsonToken.VALUE_NULL)) {
                return null;
            }
            Double cpuUsage = null;
            Double memoryUsage = null;
            for (String field = firstField(json, context, SystemMetrics.class); field != null; field = json.nextFieldName()) {
                json.nextToken();
                switch (field) {
                    case "cpu_usage" -> cpuUsage = figure(json, context);
                    case "memory_usage" -> memoryUsage = figure(json, context);
                    default -> json.skipChildren();
                }
            }
            return new SystemMetrics(cpuUsage, memoryUsage);
        }

        private static NodeSupervision supervision(JsonParser json, DeserializationContext context) throws IOException {
            if (json.hasToken(JsonToken.VALUE_NULL)) {
                return null;
            }
            boolean maintenance = false;
            int timeoutSecs = 0;
            int declaredIntervalSecs = 0;
            boolean intervalTooLong = false;
            boolean flapping = false;
            int flips = 0;
            Instant flipWindowStart = null;
            Instant lastFlip = null;
            for (String field = firstField(json, context, NodeSupervision.class); field != null;
                    field = json.nextFieldName()) {
                json.nextToken();
                switch (field) {
                    case "maintenance" -> maintenance = flag(json, context);
                    case "timeout_secs" -> timeoutSecs = smallCount(json, context);
                    case "declared_interval_secs" -> declaredIntervalSecs = smallCount(json, context);
                    case "interval_too_long" -> intervalTooLong = flag(json, context);
                    case "flapping" -> flapping = flag(json, context);
                    case "flips" -> flips = smallCount(json, context);
                    case "flip_window_start" -> flipWindowStart = instant(json, context);
                    case "last_flip" -> lastFlip = instant(json, context);
                    default -> json.skipChildren();
                }
            }
            return new NodeSupervision(maintenance, timeoutSecs, declaredIntervalSecs, intervalTooLong, flapping, flips,
                    flipWindowStart, lastFlip);
        }

        /**
         * Labels: an object of strings read here, each value as {@link #string} reads it; anything
         * but an object or null goes to the mapper (which refuses it). Looking the mapper's map
         * deserializer up for every state cost more than reading the usual one or two labels.
         */
        private static Map<String, String> labels(JsonParser json, DeserializationContext context) throws IOException {
            if (json.hasToken(JsonToken.VALUE_NULL)) {
                return null;
            }
            if (!json.hasToken(JsonToken.START_OBJECT)) {
                return context.readValue(json, LABELS);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            for (String name = json.nextFieldName(); name != null; name = json.nextFieldName()) {
                json.nextToken();
                labels.put(name, string(json, context));
            }
            return labels;
        }

        /** Loaded models: an array of strings read here; anything but an array or null goes to the mapper. */
        private static List<String> models(JsonParser json, DeserializationContext context) throws IOException {
            if (json.hasToken(JsonToken.VALUE_NULL)) {
                return null;
            }
            if (!json.hasToken(JsonToken.START_ARRAY)) {
                return context.readValue(json, MODELS);
            }
            List<String> models = new ArrayList<>();
            while (json.nextToken() != JsonToken.END_ARRAY) {
                models.add(string(json, context));
            }
            return models;
        }

        /**
         * The first field name of an object starting at the current token, or null for an empty
         * one; anything but an object is refused as the record mapping refuses it.
         */
        private static String firstField(JsonParser json, DeserializationContext context, Class<?> type)
                throws IOException {
            if (json.hasToken(JsonToken.START_OBJECT)) {
                return json.nextFieldName();
            }
            if (json.hasToken(JsonToken.FIELD_NAME)) {
                return json.currentName();
            }
            if (json.hasToken(JsonToken.END_OBJECT)) {
                return null;
            }
            throw context.wrongTokenException(json, type, JsonToken.START_OBJECT, "expected a JSON object");
        }

        private static String string(JsonParser json, DeserializationContext context) throws IOException {
            if (json.hasToken(JsonToken.VALUE_STRING)) {
                return json.getText();
            }
            return json.hasToken(JsonToken.VALUE_NULL) ? null : context.readValue(json, String.class);
        }

        private static NodeStatus status(JsonParser json, DeserializationContext context) throws IOException {
            if (json.hasToken(JsonToken.VALUE_STRING)) {
                switch (json.getText()) {
                    case "online" -> {
                        return NodeStatus.ONLINE;
                    }
                    case "offline" -> {
                        return NodeStatus.OFFLINE;
                    }
                    case "pending" -> {
                        return NodeStatus.PENDING;
                    }
                    default -> {
                        // Left to the enum's own creator below.
                    }
                }
            }
            return json.hasToken(JsonToken.VALUE_NULL) ? null : context.readValue(json, NodeStatus.class);
        }

        private static boolean flag(JsonParser json, DeserializationContext context) throws IOException {
            return switch (json.currentToken()) {
                case VALUE_TRUE -> true;
                case VALUE_FALSE, VALUE_NULL -> false;
                default -> context.readValue(json, Boolean.TYPE);
            };
        }

        private static long count(JsonParser json, DeserializationContext context) throws IOException {
            return switch (json.currentToken()) {
                case VALUE_NUMBER_INT -> json.getLongValue();
                case VALUE_NULL -> 0;
                default -> context.readValue(json, Long.TYPE);
            };
        }

        private static int smallCount(JsonParser json, DeserializationContext context) throws IOException {
            return switch (json.currentToken()) {
                case VALUE_NUMBER_INT -> json.getIntValue();
                case VALUE_NULL -> 0;
                default -> context.readValue(json, Integer.TYPE);
            };
        }

        private static Double figure(JsonParser json, DeserializationContext context) throws IOException {
            return switch (json.currentToken()) {
                case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> json.getDoubleValue();
                case VALUE_NULL -> null;
                default -> context.readValue(json, Double.class);
            };
        }

        private static Instant instant(JsonParser json, DeserializationContext context) throws IOException {
            if (json.hasToken(JsonToken.VALUE_STRING)) {
                Instant fast = InstantJson.parse(json.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return json.hasToken(JsonToken.VALUE_NULL) ? null : context.readValue(json, Instant.class);
        }
    }
}
