package io.llmlb.health.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stamps heartbeats with their receive time and knows which stamped ones are not yet handed to
 * Kafka, so an input tick can promise "every heartbeat received before my time is already in
 * the partition before me" ({@link #watermark()}). Stamping and reading the watermark share one
 * short lock: without it a heartbeat could be stamped just before a tick's time yet registered
 * just after the tick looked.
 */
public final class InFlightHeartbeats {

    private final Clock clock;
    private final Object stampLock = new Object();
    private final Map<Long, Long> receivedAtById = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    public InFlightHeartbeats(Clock clock) {
        this.clock = clock;
    }

    /** One stamped heartbeat; close it once the sink returned (stored or refused). */
    public final class Admission implements AutoCloseable {

        private final long id;
        private final Instant receivedAt;

        private Admission(long id, Instant receivedAt) {
            this.id = id;
            this.receivedAt = receivedAt;
        }

        /** The server's receive time, in milliseconds like Kafka timestamps. */
        public Instant receivedAt() {
            return receivedAt;
        }

        @Override
        public void close() {
            receivedAtById.remove(id);
        }
    }

    /** Stamps a heartbeat now and counts it in flight until the admission is closed. */
    public Admission admit() {
        synchronized (stampLock) {
            Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            long id = ids.incrementAndGet();
            receivedAtById.put(id, receivedAt.toEpochMilli());
            return new Admission(id, receivedAt);
        }
    }

    /** The receive time of the oldest heartbeat still in flight, or now when there is none. */
    public Instant watermark() {
        synchronized (stampLock) {
            long oldest = clock.instant().truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
            for (long receivedAt : receivedAtById.values()) {
                oldest = Math.min(oldest, receivedAt);
            }
            return Instant.ofEpochMilli(oldest);
        }
    }
}
