package io.llmlb.health.query.admin;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes self-enrolled nodes that nobody approved within {@code LLMLB_PENDING_ENROLLED_EXPIRY}:
 * checks every {@link #checkEvery(Duration)} (time itself comes from {@link NodeAdmin}'s clock),
 * so an expired node is gone at most that much later. Every query-api replica checks; a deletion
 * is a tombstone, so two replicas deleting the same node do no harm.
 */
public final class EnrollmentExpiry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EnrollmentExpiry.class.getName());

    private final ScheduledExecutorService timer;

    private EnrollmentExpiry(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts checking {@code admin}'s registry for enrollments older than {@code expiry}. */
    public static EnrollmentExpiry start(NodeAdmin admin, Duration expiry) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "enrollment-expiry");
            thread.setDaemon(true);
            return thread;
        });
        long period = checkEvery(expiry).toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                admin.deleteUnapprovedEnrollments(expiry);
            } catch (RuntimeException e) {
                // Kafka unreachable, say: the next check tries again.
                LOG.log(Level.WARNING, "could not delete expired self-enrolled nodes: " + e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        return new EnrollmentExpiry(timer);
    }

    /** A tenth of the expiry, at most a minute: late by no more than that. */
    static Duration checkEvery(Duration expiry) {
        Duration tenth = expiry.dividedBy(10);
        return tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
