package io.llmlb.health.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic from the beginning on its own thread and keeps following it, handing every
 * record to a handler: the in-memory views of the services (registry, transition history, live
 * feed) are built on it. No consumer group: every replica reads everything. Only committed
 * records are read, as the state-processor writes in transactions.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicFollower.class.getName());

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Runnable onStopped;
    private final Map<Integer, Long> nextOffsetByPartition = new HashMap<>();
    private final Map<Integer, Long> endOffsetsAtStart = new HashMap<>();
    private final Thread poller;
    private volatile boolean caughtUp;
    /** Catch-up barriers asked for ({@link #awaitEndAtCall}) and the last one whose end offsets were read; guarded by this. */
    private long barriersAsked;
    private long barriersMeasured;
    private Map<Integer, Long> endOffsetsOfLastBarrier = Map.of();

    private TopicFollower(KafkaSettings settings, String topic, String clientId,
                          Consumer<ConsumerRecord<String, byte[]>> handler, Runnable onStopped) {
        this.topic = topic;
        this.handler = handler;
        this.onStopped = onStopped;
        Map<String, Object> props = settings.clientProperties(clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Views want each change at once rather than a fuller fetch later.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.poller = Thread.ofPlatform().name(clientId).daemon().unstarted(this::pollLoop);
    }

    /**
     * Starts following {@code topic}; {@code handler} runs on the follower's thread, one record at a
     * time, in offset order per partition. The topic must exist.
     */
    public static TopicFollower start(KafkaSettings settings, String topic, String clientId,
                                      Consumer<ConsumerRecord<String, byte[]>> handler) {
        return start(settings, topic, clientId, handler, () -> { });
    }

    /** Like {@link #start(KafkaSettings, String, String, Consumer)}; {@code onStopped} runs once the thread ends. */
    public static TopicFollower start(KafkaSettings settings, String topic, String clientId,
                                      Consumer<ConsumerRecord<String, byte[]>> handler, Runnable onStopped) {
        TopicFollower follower = new TopicFollower(settings, topic, clientId, handler, onStopped);
        try {
            follower.assignAll();
        } catch (RuntimeException e) {
            follower.consumer.close(Duration.ofSeconds(5));
            throw e;
        }
        follower.poller.start();
        return follower;
    }

    private void assignAll() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        consumer.endOffsets(partitions).forEach((tp, end) -> endOffsetsAtStart.put(tp.partition(), end));
        updateCaughtUp();
    }

    private void pollLoop() {
        try {
            while (true) {
                measureAskedBarrier();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handle(record);
                }
                synchronized (this) {
                    for (TopicPartition tp : consumer.assignment()) {
                        nextOffsetByPartition.put(tp.partition(), consumer.position(tp));
                    }
                    updateCaughtUp();
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "stopped following " + topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            synchronized (this) {
                notifyAll();
            }
            onStopped.run();
        }
    }

    /**
     * Reads the topic's end offsets for every barrier asked since the last one, on this thread
     * (the consumer is not thread-safe). One read serves all callers that asked before it, so a
     * burst of unknown tokens costs one request to the broker per poll, not one each.
     */
    private void measureAskedBarrier() {
        long asked;
        synchronized (this) {
            asked = barriersAsked;
        }
        if (asked == barriersMeasured) {
            return;
        }
        Map<Integer, Long> ends = new HashMap<>();
        try {
            consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(5))
                    .forEach((tp, end) -> ends.put(tp.partition(), end));
        } catch (org.apache.kafka.common.errors.TimeoutException brokerUnreachable) {
            return; // asked again at the next turn; the callers' own deadline bounds their wait
        }
        synchronized (this) {
            endOffsetsOfLastBarrier = ends;
            barriersMeasured = asked;
            notifyAll();
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            handler.accept(record);
        } catch (RuntimeException e) {
            // One unreadable record must not stop the view: skip it, loudly.
            LOG.warning("skipping unreadable record " + topic + "/" + record.partition() + "/" + record.offset()
                    + ": " + e.getMessage());
        }
    }

    private void updateCaughtUp() {
        if (!caughtUp) {
            caughtUp = endOffsetsAtStart.entrySet().stream()
                    .allMatch(e -> e.getValue() == 0L || nextOffsetByPartition.getOrDefault(e.getKey(), 0L) >= e.getValue());
        }
    }

    /** Whether everything in the topic at start has been handled. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Whether the follower thread still runs. */
    public boolean isRunning() {
        return poller.isAlive();
    }

    /** Waits until the topic's content at start has been handled; false on timeout. */
    public synchronized boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp && poller.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return caughtUp;
    }

    /** Waits until the record at {@code offset} of {@code partition} has been handled; false on timeout. */
    public synchronized boolean awaitHandled(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (nextOffsetByPartition.getOrDefault(partition, 0L) <= offset && poller.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return nextOffsetByPartition.getOrDefault(partition, 0L) > offset;
    }

    /**
     * Waits until every record the broker had acknowledged (committed, for transactions) when this
     * was called has been handled: the topic's end offsets are read after the call and the
     * follower's positions must reach them. A later poll alone would not do: the consumer may
     * answer it from a fetch sent before the call. False on timeout or when the follower stopped.
     */
    public synchronized boolean awaitEndAtCall(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long barrier = ++barriersAsked;
        while (poller.isAlive()) {
            if (barriersMeasured >= barrier && reached(endOffsetsOfLastBarrier)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return false;
    }

    private boolean reached(Map<Integer, Long> endOffsets) {
        return endOffsets.entrySet().stream()
                .allMatch(e -> nextOffsetByPartition.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            poller.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
