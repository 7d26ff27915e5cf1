package io.llmlb.health.ingest.kafka;

import io.llmlb.health.ingest.InFlightHeartbeats;
import io.llmlb.health.ingest.WriteHealth;
import io.llmlb.health.wire.InputPath;
import io.llmlb.health.wire.InputTick;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes an {@link InputTick} to every partition of the heartbeats topic every tick interval
 * ({@link InputPath#tickInterval(java.time.Duration)}: 1 s, or half a shorter check interval),
 * through the same producer as the heartbeats, so a heartbeat
 * handed to it before the tick is stored before it. The state-processor reads the ticks as proof
 * that its input path works and how far.
 */
final class InputTicker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InputTicker.class.getName());

    private final Producer<String, Object> producer;
    private final String topic;
    private final String replicaId;
    private final InFlightHeartbeats inFlight;
    private final WriteHealth health;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "llmlb-input-ticker");
        thread.setDaemon(true);
        return thread;
    });
    private final Duration tickInterval;
    private volatile boolean warned;

    InputTicker(Producer<String, Object> producer, String topic, String replicaId, InFlightHeartbeats inFlight,
                WriteHealth health, Duration tickInterval) {
        this.tickInterval = tickInterval;
        this.producer = producer;
        this.topic = topic;
        this.replicaId = replicaId;
        this.inFlight = inFlight;
        this.health = health;
    }

    void start() {
        long periodMillis = tickInterval.toMillis();
        timer.scheduleAtFixedRate(this::tickEveryPartition, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void tickEveryPartition() {
        try {
            // Partitions first (may wait for metadata), then the watermark, then the sends: the
            // watermark must not be older than the moment the ticks enter the producer.
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            InputTick tick = new InputTick(replicaId, inFlight.watermark());
            for (PartitionInfo partition : partitions) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(InputTick.HEADER, InputTick.HEADER_VALUE.getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(topic, partition.partition(), tick.upTo().toEpochMilli(), tick.key(),
                        tick, headers), (metadata, error) -> {
                            if (error == null) {
                                health.succeeded();
                                warned = false;
                            } else {
                                health.failed();
                                warnOnce(error);
                            }
                        });
            }
        } catch (RuntimeException e) {
            health.failed();
            warnOnce(e);
        }
    }

    private void warnOnce(Throwable error) {
        if (!warned) {
            warned = true;
            LOG.warning("input tick not stored (" + error + "); the state-processor holds its verdicts until ticks"
                    + " flow again");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
