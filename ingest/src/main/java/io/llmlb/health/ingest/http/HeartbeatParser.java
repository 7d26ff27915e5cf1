package io.llmlb.health.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.http.JsonHttp;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.SystemMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a heartbeat body into a {@link Heartbeat}, or a 400 naming the first wrong field. Only
 * {@code node_id} is required: the seed's own Python client omits {@code system_metrics} and
 * GPU temperature. Unknown fields are ignored so newer agents work with older servers.
 */
public final class HeartbeatParser {

    static final int MAX_MODELS = 256;
    static final int MAX_MODEL_NAME = 256;
    /** The body field in which a node declares its heartbeat interval (the agent: {@code XLLM_HEARTBEAT_SECS}). */
    static final String INTERVAL_FIELD = "heartbeat_interval_secs";
    static final int MIN_INTERVAL_SECS = Heartbeat.MIN_INTERVAL_SECS;
    static final int MAX_INTERVAL_SECS = Heartbeat.MAX_INTERVAL_SECS;
    /** How much of a refused value an error message repeats: enough to recognise it, not a 60 KiB echo. */
    private static final int MAX_ECHO = 40;

    private HeartbeatParser() {
    }

    /** Parses {@code body}, stamping it with the server's receive time. */
    public static Heartbeat parse(ObjectNode body, Instant receivedAt) {
        return parse(body, receivedAt, null);
    }

    /** Parses {@code body}, stamping it with the server's receive time and the gateway's request id. */
    public static Heartbeat parse(ObjectNode body, Instant receivedAt, String requestId) {
        String nodeId = nodeId(body.get("node_id"));
        GpuMetrics gpu = gpuMetrics(body.get("gpu_metrics"));
        SystemMetrics system = systemMetrics(body.get("system_metrics"));
        Integer activeRequests = activeRequests(body.get("active_requests"));
        List<String> models = loadedModels(body.get("loaded_models"));
        Integer interval = heartbeatInterval(body.get(INTERVAL_FIELD));
        return new Heartbeat(nodeId, receivedAt, gpu, system, activeRequests, models, requestId, interval);
    }

    /**
     * The interval the node declares it beats at, whole seconds 1..3600, or null. Wider than the
     * seed's 10..60 s on purpose: a node beating slower than its timeout allows must be able to
     * say so, to be flagged rather than called offline.
     */
    private static Integer heartbeatInterval(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < MIN_INTERVAL_SECS
                || node.intValue() > MAX_INTERVAL_SECS) {
            throw ApiException.badRequest(INTERVAL_FIELD, INTERVAL_FIELD + " must be a whole number of seconds from "
                    + MIN_INTERVAL_SECS + " to " + MAX_INTERVAL_SECS + ", not " + echo(node));
        }
        return node.intValue();
    }

    private static String nodeId(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest("node_id", "node_id is required");
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("node_id", "node_id must be a string, not " + JsonHttp.describe(node));
        }
        return NodeIds.require("node_id", node.textValue());
    }

    private static GpuMetrics gpuMetrics(JsonNode node) {
        ObjectNode gpu = optionalObject("gpu_metrics", node);
        if (gpu == null) {
            return null;
        }
        return new GpuMetrics(
                number("gpu_metrics.usage", gpu.get("usage"), 0, 100),
                number("gpu_metrics.vram_usage", gpu.get("vram_usage"), 0, 100),
                number("gpu_metrics.temperature", gpu.get("temperature"), -50, 150));
    }

    private static SystemMetrics systemMetrics(JsonNode node) {
        ObjectNode system = optionalObject("system_metrics", node);
        if (system == null) {
            return null;
        }
        return new SystemMetrics(
                number("system_metrics.cpu_usage", system.get("cpu_usage"), 0, 100),
                number("system_metrics.memory_usage", system.get("memory_usage"), 0, 100));
    }

    private static Integer activeRequests(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
            throw ApiException.badRequest("active_requests",
                    "active_requests must be a non-negative integer, not " + echo(node));
        }
        return node.intValue();
    }

    private static List<String> loadedModels(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("loaded_models",
                    "loaded_models must be a list of strings, not " + JsonHttp.describe(node));
        }
        if (node.size() > MAX_MODELS) {
            throw ApiException.badRequest("loaded_models", "loaded_models has " + node.size()
                    + " entries; at most " + MAX_MODELS + " are allowed");
        }
        List<String> models = new ArrayList<>(node.size());
        for (JsonNode model : node) {
            if (!model.isTextual()) {
                throw ApiException.badRequest("loaded_models",
                        "loaded_models must contain only strings, found " + JsonHttp.describe(model));
            }
            if (model.textValue().length() > MAX_MODEL_NAME) {
                throw ApiException.badRequest("loaded_models",
                        "a model name in loaded_models is longer than " + MAX_MODEL_NAME + " characters");
            }
            models.add(model.textValue());
        }
        return List.copyOf(models);
    }

    private static ObjectNode optionalObject(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(field, field + " must be an object, not " + JsonHttp.describe(node));
        }
        return (ObjectNode) node;
    }

    private static Double number(String field, JsonNode node, double min, double max) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw ApiException.badRequest(field, field + " must be a number, not " + JsonHttp.describe(node));
        }
        double value = node.doubleValue();
        if (!Double.isFinite(value) || value < min || value > max) {
            throw ApiException.badRequest(field, field + " must be between " + fmt(min) + " and " + fmt(max)
                    + ", not " + echo(node));
        }
        return value;
    }

    private static String echo(JsonNode node) {
        String text = node.toString();
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
    }

    private static String fmt(double bound) {
        return bound == Math.rint(bound) ? String.valueOf((long) bound) : String.valueOf(bound);
    }
}
