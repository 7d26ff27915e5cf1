package io.llmlb.health.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.SystemMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeartbeatParserTest {

    private static final Instant RECEIVED = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void seedBodyIsParsedCompletely() {
        Heartbeat heartbeat = parse("""
                {"node_id": "node-1",
                 "gpu_metrics": {"usage": 45.5, "vram_usage": 78.2, "temperature": 65.0},
                 "system_metrics": {"cpu_usage": 30.0, "memory_usage": 50.0},
                 "active_requests": 2,
                 "loaded_models": ["llama-3.2-1b"]}""");

        assertEquals(new Heartbeat("node-1", RECEIVED, new GpuMetrics(45.5, 78.2, 65.0), new SystemMetrics(30.0, 50.0),
                2, List.of("llama-3.2-1b")), heartbeat);
    }

    @Test
    void declaredHeartbeatIntervalIsRead() {
        assertEquals(45, parse("{\"node_id\": \"n\", \"heartbeat_interval_secs\": 45}").intervalSecs());
        assertEquals(null, parse("{\"node_id\": \"n\"}").intervalSecs());
    }

    @Test
    void seedPythonClientBodyWithoutTemperatureOrSystemMetricsIsAccepted() {
        Heartbeat heartbeat = parse("""
                {"node_id": "node-1", "gpu_metrics": {"usage": 45.5, "vram_usage": 78.2},
                 "active_requests": 0, "loaded_models": []}""");

        assertEquals(new GpuMetrics(45.5, 78.2, null), heartbeat.gpuMetrics());
        assertNull(heartbeat.systemMetrics());
        assertEquals(0, heartbeat.activeRequests());
        assertEquals(List.of(), heartbeat.loadedModels());
    }

    @Test
    void onlyNodeIdIsRequiredAndNullsMeanAbsent() {
        Heartbeat heartbeat = parse("""
                {"node_id": "n", "gpu_metrics": null, "system_metrics": null, "active_requests": null,
                 "loaded_models": null}""");

        assertEquals(new Heartbeat("n", RECEIVED, null, null, null, null), heartbeat);
    }

    @Test
    void receiveTimeIsTheServersNeverTheNodes() {
        Heartbeat heartbeat = parse("{\"node_id\": \"n\", \"timestamp\": \"1999-01-01T00:00:00Z\", \"received_at\": 0}");

        assertEquals(RECEIVED, heartbeat.receivedAt());
    }

    @Test
    void unknownFieldsAreIgnoredForNewerAgents() {
        Heartbeat heartbeat = parse("{\"node_id\": \"n\", \"agent_version\": \"9.9\", \"gpu_metrics\": {\"power_w\": 300}}");

        assertEquals(new GpuMetrics(null, null, null), heartbeat.gpuMetrics());
    }

    @Test
    void boundsAreInclusive() {
        Heartbeat low = parse("""
                {"node_id": "n", "gpu_metrics": {"usage": 0, "vram_usage": 0, "temperature": -50},
                 "system_metrics": {"cpu_usage": 0, "memory_usage": 0}, "active_requests": 0}""");
        Heartbeat high = parse("""
                {"node_id": "n", "gpu_metrics": {"usage": 100, "vram_usage": 100.0, "temperature": 150},
                 "system_metrics": {"cpu_usage": 100, "memory_usage": 100}, "active_requests": 2147483647}""");

        assertEquals(new GpuMetrics(0.0, 0.0, -50.0), low.gpuMetrics());
        assertEquals(new GpuMetrics(100.0, 100.0, 150.0), high.gpuMetrics());
        assertEquals(new SystemMetrics(100.0, 100.0), high.systemMetrics());
        assertEquals(Integer.MAX_VALUE, high.activeRequests());
    }

    @Test
    void maximalModelListIsAccepted() {
        String name = "m".repeat(HeartbeatParser.MAX_MODEL_NAME);
        String models = IntStream.range(0, HeartbeatParser.MAX_MODELS).mapToObj(i -> "\"" + name + "\"")
                .collect(Collectors.joining(","));

        Heartbeat heartbeat = parse("{\"node_id\": \"n\", \"loaded_models\": [" + models + "]}");

        assertEquals(HeartbeatParser.MAX_MODELS, heartbeat.loadedModels().size());
    }

    @Test
    void nodeIdAtSixtyFourCharactersIsAccepted() {
        String id = "a".repeat(64);

        assertEquals(id, parse("{\"node_id\": \"" + id + "\"}").nodeId());
    }

    static Stream<Arguments> badBodies() {
        String tooManyModels = IntStream.rangeClosed(0, HeartbeatParser.MAX_MODELS).mapToObj(i -> "\"m" + i + "\"")
                .collect(Collectors.joining(","));
        return Stream.of(
                bad("{}", "node_id", "required"),
                bad("{\"node_id\": null}", "node_id", "required"),
                bad("{\"node_id\": 7}", "node_id", "must be a string, not a number"),
                bad("{\"node_id\": [\"n\"]}", "node_id", "must be a string, not an array"),
                bad("{\"node_id\": \"\"}", "node_id", "must match"),
                bad("{\"node_id\": \"../x\"}", "node_id", "must match"),
                bad("{\"node_id\": \"..\"}", "node_id", "must match"),
                bad("{\"node_id\": \".\"}", "node_id", "must match"),
                bad("{\"node_id\": \"<b>x</b>\"}", "node_id", "must match"),
                bad("{\"node_id\": \"" + "a".repeat(65) + "\"}", "node_id", "must match"),
                bad("{\"node_id\": \"n\\u0000\"}", "node_id", "must match"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": \"hot\"}", "gpu_metrics", "must be an object, not a string"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": [45.5]}", "gpu_metrics", "must be an object, not an array"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": {\"usage\": \"45\"}}", "gpu_metrics.usage", "must be a number"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": {\"usage\": 100.01}}", "gpu_metrics.usage", "between 0 and 100"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": {\"usage\": -0.5}}", "gpu_metrics.usage", "between 0 and 100"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": {\"usage\": 1e999}}", "gpu_metrics.usage", "between 0 and 100"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": {\"vram_usage\": 101}}", "gpu_metrics.vram_usage", "between 0 and 100"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": {\"vram_usage\": true}}", "gpu_metrics.vram_usage", "must be a number"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": {\"temperature\": 150.5}}", "gpu_metrics.temperature",
                        "between -50 and 150"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": {\"temperature\": -51}}", "gpu_metrics.temperature",
                        "between -50 and 150"),
                bad("{\"node_id\": \"n\", \"gpu_metrics\": {\"temperature\": -1e999}}", "gpu_metrics.temperature",
                        "between -50 and 150"),
                bad("{\"node_id\": \"n\", \"system_metrics\": 30}", "system_metrics", "must be an object"),
                bad("{\"node_id\": \"n\", \"system_metrics\": {\"cpu_usage\": 250}}", "system_metrics.cpu_usage",
                        "between 0 and 100"),
                bad("{\"node_id\": \"n\", \"system_metrics\": {\"memory_usage\": {}}}", "system_metrics.memory_usage",
                        "must be a number"),
                bad("{\"node_id\": \"n\", \"system_metrics\": {\"memory_usage\": -1}}", "system_metrics.memory_usage",
                        "between 0 and 100"),
                bad("{\"node_id\": \"n\", \"active_requests\": -1}", "active_requests", "non-negative integer"),
                bad("{\"node_id\": \"n\", \"active_requests\": 1.5}", "active_requests", "non-negative integer"),
                bad("{\"node_id\": \"n\", \"active_requests\": \"2\"}", "active_requests", "non-negative integer"),
                bad("{\"node_id\": \"n\", \"active_requests\": 2147483648}", "active_requests", "non-negative integer"),
                bad("{\"node_id\": \"n\", \"active_requests\": 99999999999999999999999}", "active_requests",
                        "non-negative integer"),
                bad("{\"node_id\": \"n\", \"active_requests\": 1e999}", "active_requests", "non-negative integer"),
                bad("{\"node_id\": \"n\", \"loaded_models\": \"llama\"}", "loaded_models", "list of strings"),
                bad("{\"node_id\": \"n\", \"loaded_models\": {\"a\": \"b\"}}", "loaded_models", "list of strings"),
                bad("{\"node_id\": \"n\", \"loaded_models\": [\"ok\", 3]}", "loaded_models", "only strings"),
                bad("{\"node_id\": \"n\", \"loaded_models\": [null]}", "loaded_models", "only strings"),
                bad("{\"node_id\": \"n\", \"loaded_models\": [[\"nested\"]]}", "loaded_models", "only strings"),
                bad("{\"node_id\": \"n\", \"loaded_models\": [" + tooManyModels + "]}", "loaded_models", "at most 256"),
                bad("{\"node_id\": \"n\", \"loaded_models\": [\"" + "m".repeat(257) + "\"]}", "loaded_models",
                        "longer than 256"),
                bad("{\"node_id\": \"n\", \"heartbeat_interval_secs\": 0}", "heartbeat_interval_secs", "from 1 to 3600"),
                bad("{\"node_id\": \"n\", \"heartbeat_interval_secs\": 3601}", "heartbeat_interval_secs",
                        "from 1 to 3600"),
                bad("{\"node_id\": \"n\", \"heartbeat_interval_secs\": 2.5}", "heartbeat_interval_secs", "whole number"),
                bad("{\"node_id\": \"n\", \"heartbeat_interval_secs\": \"30\"}", "heartbeat_interval_secs",
                        "whole number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodyIsRefusedNamingTheField(String body, String field, String errorFragment) {
        assertRefused(objectOf(body), field, errorFragment);
    }

    @Test
    void notANumberAndInfinityAreRefusedNamingTheField() {
        // JSON has no NaN literal, but a lenient reader (ours, to name the field) lets it through.
        for (double value : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            ObjectNode gpu = Json.MAPPER.createObjectNode().put("usage", value);
            ObjectNode body = Json.MAPPER.createObjectNode().put("node_id", "n");
            body.set("gpu_metrics", gpu);
            assertRefused(body, "gpu_metrics.usage", "between 0 and 100");

            ObjectNode system = Json.MAPPER.createObjectNode().put("memory_usage", value);
            ObjectNode withSystem = Json.MAPPER.createObjectNode().put("node_id", "n");
            withSystem.set("system_metrics", system);
            assertRefused(withSystem, "system_metrics.memory_usage", "between 0 and 100");
        }
    }

    @Test
    void errorMessageDoesNotEchoAHugeValue() {
        String huge = "9".repeat(900);

        ApiException refused = assertThrows(ApiException.class,
                () -> parse("{\"node_id\": \"n\", \"active_requests\": " + huge + "}"));

        assertTrue(refused.getMessage().length() < 300, refused.getMessage());
    }

    private static Arguments bad(String body, String field, String errorFragment) {
        String name = body.length() > 90 ? body.substring(0, 90) + "…" : body;
        return Arguments.of(org.junit.jupiter.api.Named.of(name, body), field, errorFragment);
    }

    private static void assertRefused(ObjectNode body, String field, String errorFragment) {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> HeartbeatParser.parse(body, RECEIVED));
        // Both kinds are mapped to 400 with their field by ErrorHandlers; anything else would be a 500.
        if (refused instanceof NodeIds.InvalidNodeIdException invalidId) {
            assertEquals(field, invalidId.field(), invalidId.getMessage());
        } else {
            ApiException apiException = assertInstanceOf(ApiException.class, refused);
            assertEquals(Status.BAD_REQUEST_400, apiException.status());
            assertEquals(field, apiException.field(), apiException.getMessage());
        }
        assertTrue(refused.getMessage().contains(errorFragment), refused.getMessage());
    }

    private static Heartbeat parse(String json) {
        return HeartbeatParser.parse(objectOf(json), RECEIVED);
    }

    @Test
    void requestIdOfTheGatewayIsKeptInTheRecord() {
        assertEquals("3f2a9c", HeartbeatParser.parse(objectOf("{\"node_id\":\"node-1\"}"), RECEIVED, "3f2a9c").requestId());
        assertEquals(null, parse("{\"node_id\":\"node-1\"}").requestId());
    }

    private static ObjectNode objectOf(String json) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
