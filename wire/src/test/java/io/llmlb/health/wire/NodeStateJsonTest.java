package io.llmlb.health.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written node-state codec writes and reads what the record mapping wrote and read. */
class NodeStateJsonTest {

    /** Databind's own mapping of the records, as it was before the codec. */
    private static final ObjectMapper RECORD_MAPPING = Json.recordMapping().build();

    @Test
    void writesTheRecordMappingsBytesAndReadsThemBackForRandomStates() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            NodeState state = randomState(random);
            byte[] expected = RECORD_MAPPING.writeValueAsBytes(state);

            byte[] written = Json.toBytes(state);

            assertArrayEquals(expected, written, () -> new String(expected, StandardCharsets.UTF_8));
            assertEquals(state, Json.fromBytes(written, NodeState.class));
        }
    }

    @Test
    void readsUnusualDocumentsAsTheRecordMappingDoes() throws Exception {
        String[] documents = {
            "{}",
            "{\"node_id\":\"n-1\",\"state\":\"online\",\"unknown\":{\"deep\":[1,{\"x\":2}]},\"seq\":3}",
            "{\"seq\":\"17\",\"heartbeats\":2.0,\"timeouts\":null,\"approved\":null}",
            "{\"approved\":\"true\",\"node_id\":42}",
            "{\"deadline\":1735732800,\"last_seen\":\"2025-01-01T12:00:00+09:00\",\"registered_at\":null}",
            "{\"latest\":{\"gpu_metrics\":{\"usage\":\"12.5\",\"vram_usage\":7,\"temperature\":null},"
                + "\"active_requests\":\"3\",\"loaded_models\":[\"a\",\"b\"],\"extra\":true}}",
            "{\"latest\":{\"system_metrics\":{},\"loaded_models\":null}}",
            "{\"supervision\":{\"maintenance\":true,\"timeout_secs\":\"60\",\"flips\":2,"
                + "\"last_flip\":\"2025-01-01T12:00:00.5Z\"},\"labels\":{\"zone\":\"a\",\"rack\":null}}",
            "{\"seq\":1,\"seq\":2,\"state\":\"offline\",\"state\":\"pending\"}",
            "{\"labels\":{\"n\":5,\"b\":true,\"z\":\"\"},\"latest\":{\"loaded_models\":[\"a\",null,7]}}",
            "{\"labels\":{},\"latest\":{\"loaded_models\":[]}}",
        };
        for (String document : documents) {
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            assertEquals(RECORD_MAPPING.readValue(bytes, NodeState.class), Json.fromBytes(bytes, NodeState.class),
                    document);
        }
    }

    @Test
    void refusesWhatTheRecordMappingRefuses() {
        String[] documents = {
            "{\"state\":\"asleep\"}",
            "{\"seq\":\"many\"}",
            "{\"latest\":\"fine\"}",
            "{\"latest\":{\"gpu_metrics\":[1,2]}}",
            "{\"supervision\":{\"flips\":{}}}",
            "{\"deadline\":\"yesterday\"}",
            "{\"labels\":[\"a\"]}",
            "{\"labels\":{\"a\":{\"b\":1}}}",
            "{\"latest\":{\"loaded_models\":\"one\"}}",
            "{\"latest\":{\"loaded_models\":[[\"a\"]]}}",
            "[1]",
        };
        for (String document : documents) {
            byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
            assertThrows(Exception.class, () -> RECORD_MAPPING.readValue(bytes, NodeState.class), document);
            assertThrows(RuntimeException.class, () -> Json.fromBytes(bytes, NodeState.class), document);
        }
    }

    private static NodeState randomState(SplittableRandom random) {
        NodeStatus[] statuses = NodeStatus.values();
        NodeStatus status = random.nextInt(10) == 0 ? null : statuses[random.nextInt(statuses.length)];
        return new NodeState(
                random.nextInt(20) == 0 ? null : "node-" + random.nextInt(1_000_000),
                status,
                random.nextBoolean(),
                random.nextBoolean() ? null : "gpu-\"host\"-é" + random.nextInt(100),
                labels(random),
                instant(random), instant(random), instant(random), instant(random),
                random.nextLong(0, Long.MAX_VALUE), random.nextInt(1000), random.nextLong(-1, 1L << 40),
                instant(random),
                metrics(random),
                supervision(random));
    }

    private static Map<String, String> labels(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> Map.of();
            default -> {
                Map<String, String> labels = new LinkedHashMap<>();
                for (int i = random.nextInt(1, 4); i > 0; i--) {
                    labels.put("key" + i, random.nextInt(5) == 0 ? null : "value\n" + random.nextInt(100));
                }
                yield labels;
            }
        };
    }

    private static NodeMetrics metrics(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            return null;
        }
        GpuMetrics gpu = random.nextInt(3) == 0 ? null
                : new GpuMetrics(figure(random), figure(random), figure(random));
        SystemMetrics system = random.nextInt(3) == 0 ? null : new SystemMetrics(figure(random), figure(random));
        List<String> models = null;
        if (random.nextBoolean()) {
            models = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                models.add("model-" + random.nextInt(10));
            }
        }
        return new NodeMetrics(gpu, system, random.nextInt(4) == 0 ? null : random.nextInt(-5, 10_000), models);
    }

    private static NodeSupervision supervision(SplittableRandom random) {
        if (random.nextBoolean()) {
            return null;
        }
        return new NodeSupervision(random.nextBoolean(), random.nextInt(301), random.nextInt(3601),
                random.nextBoolean(), random.nextBoolean(), random.nextInt(50), instant(random), instant(random));
    }

    private static Double figure(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> (double) random.nextInt(101);
            case 2 -> random.nextDouble() * 100;
            case 3 -> Math.round(random.nextDouble() * 1000) / 10.0;
            default -> random.nextDouble() * 1e-5;
        };
    }

    private static Instant instant(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            return null;
        }
        long second = random.nextLong(0, 4_102_444_800L);
        int nanos = switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(second, nanos);
    }
}
