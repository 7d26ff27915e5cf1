package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.InputTick;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.NodeEvent;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.RegistryRecords;
import io.llmlb.health.wire.RejectedRecordLog;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.logging.Logger;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads the raw records of an input topic as untrusted input and forwards only those that can be
 * trusted. A record Jackson cannot read would otherwise fail the stream thread, which would read
 * it again after the restart, forever; a registry record with a forged id or token hash would
 * become a node. Such records are dropped here and logged once per key and reason.
 */
final class InputGate implements Processor<String, byte[], String, NodeEvent> {

    private static final Logger LOG = Logger.getLogger(InputGate.class.getName());
    private static final byte[] TICK_HEADER_VALUE = InputTick.HEADER_VALUE.getBytes(StandardCharsets.UTF_8);
    private static final RejectedRecordLog REJECTED = new RejectedRecordLog(LOG, "state-processor");

    /** What a raw record is: an event (null for a registry tombstone) to forward, or a reason to drop it. */
    private record Verdict(boolean trusted, NodeEvent event, String reason) {

        static Verdict forward(NodeEvent event) {
            return new Verdict(true, event, null);
        }

        static Verdict drop(String reason) {
            return new Verdict(false, null, reason);
        }
    }

    private interface Reader {
        Verdict read(String key, Headers headers, byte[] value);
    }

    private final Reader reader;
    private ProcessorContext<String, NodeEvent> context;

    private InputGate(Reader reader) {
        this.reader = reader;
    }

    /** Lets through registrations and deletions {@link RegistryRecords} trusts. */
    static InputGate registry() {
        return new InputGate((key, headers, value) -> switch (RegistryRecords.read(key, value)) {
            case RegistryRecords.Valid valid -> Verdict.forward(valid.registration());
            case RegistryRecords.Deleted deleted -> Verdict.forward(null);
            case RegistryRecords.Rejected rejected -> Verdict.drop(rejected.reason());
        });
    }

    /**
     * Lets through heartbeats that parse and are keyed by their own valid node id, and ingest's
     * {@link InputTick}s (told apart by their header; their keys are never node ids).
     */
    static InputGate heartbeats() {
        return new InputGate((key, headers, value) -> {
            if (isTick(headers)) {
                return readTick(key, value);
            }
            if (!NodeIds.isValid(key) || value == null) {
                return Verdict.drop("key is not a valid node id, or no value");
            }
            Heartbeat heartbeat;
            try {
                heartbeat = Json.fromBytes(value, Heartbeat.class);
            } catch (RuntimeException e) {
                return Verdict.drop("value is not a heartbeat");
            }
            if (heartbeat == null || !key.equals(heartbeat.nodeId()) || heartbeat.receivedAt() == null) {
                return Verdict.drop("node_id differs from the key, or received_at is missing");
            }
            if (!Heartbeat.isValidInterval(heartbeat.intervalSecs())) {
                // An interval out of range would stretch the node's timeout without bound.
                return Verdict.drop("interval_secs out of range");
            }
            return Verdict.forward(heartbeat);
        });
    }

    private static boolean isTick(Headers headers) {
        Header kind = headers == null ? null : headers.lastHeader(InputTick.HEADER);
        return kind != null && Arrays.equals(TICK_HEADER_VALUE, kind.value());
    }

    private static Verdict readTick(String key, byte[] value) {
        if (key == null || !key.startsWith(InputTick.KEY_PREFIX) || value == null) {
            return Verdict.drop("input tick without a tick key or value");
        }
        InputTick tick;
        try {
            tick = Json.fromBytes(value, InputTick.class);
        } catch (RuntimeException e) {
            return Verdict.drop("value is not an input tick");
        }
        if (tick == null || tick.upTo() == null || tick.replicaId() == null || !key.equals(tick.key())) {
            return Verdict.drop("input tick without replica id or time, or keyed for another replica");
        }
        return Verdict.forward(tick);
    }

    @Override
    public void init(ProcessorContext<String, NodeEvent> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Verdict verdict = reader.read(record.key(), record.headers(), record.value());
        if (verdict.trusted()) {
            context.forward(record.withValue(verdict.event()));
            return;
        }
        context.recordMetadata().ifPresent(meta ->
                REJECTED.rejected(meta.topic(), meta.partition(), meta.offset(), record.key(), verdict.reason()));
    }
}
