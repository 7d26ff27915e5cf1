package io.llmlb.health.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/** Waiting for Kafka's acknowledgement of a write, or saying it is unavailable: the system's fault, not the client's. */
public final class KafkaAcks {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private KafkaAcks() {
    }

    /**
     * The acknowledged record's position.
     *
     * @throws UnavailableException saying {@code whatFailed}, with a Retry-After, when the write
     *         fails or is not acknowledged within {@code timeout}
     */
    public static RecordMetadata await(Future<RecordMetadata> send, Duration timeout, String whatFailed) {
        try {
            return send.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw new UnavailableException(whatFailed + "; retry later", RETRY_AFTER, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted: " + whatFailed, RETRY_AFTER, e);
        }
    }
}
