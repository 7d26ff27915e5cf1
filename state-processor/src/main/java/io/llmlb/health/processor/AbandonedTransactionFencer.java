package io.llmlb.health.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * Fences the open transactions of state-processor instances the consumer group has dropped, so
 * the instance taking their tasks over need not wait for the broker to time them out.
 *
 * <p>Why: a killed instance leaves its last transaction open. Until it is aborted, the committed
 * offsets of its partitions are unstable, and the stream thread that was handed them waits (all of
 * its tasks, its own included). The broker aborts it only at the transaction timeout, 5 s in
 * compose, which made it the longest step of a failover. Fencing the transactional id
 * ({@link Admin#fenceProducers}) aborts it as soon as the group has let the instance go.
 *
 * <p>Safety: transactions are listed before the group is described, so a transaction whose owner
 * is missing from the later description was opened by a member that has since left or expired; a
 * frozen instance fenced this way finds out when it wakes (its commit fails and it rejoins), as it
 * would after the timeout. Only transactions open longer than {@code minimumAge} are considered.
 */
public final class AbandonedTransactionFencer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AbandonedTransactionFencer.class.getName());
    private static final Duration FAILURE_LOG_EVERY = Duration.ofMinutes(1);

    private final Admin admin;
    private final String applicationId;
    private final AbandonedTransactions abandoned;
    private final Duration minimumAge;
    private final Duration requestTimeout;
    private final Counter fenced;
    private final ScheduledExecutorService timer;
    private long lastFailureLogged = System.nanoTime() - FAILURE_LOG_EVERY.toNanos();

    private AbandonedTransactionFencer(Admin admin, String applicationId, Duration minimumAge, MeterRegistry meters) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.abandoned = new AbandonedTransactions(applicationId);
        this.minimumAge = minimumAge;
        this.requestTimeout = Duration.ofSeconds(5);
        this.fenced = Counter.builder("llm_router.processor.fenced.transactions")
                .description("Open transactions of state-processor instances dropped by the group, fenced so their"
                        + " partitions move without waiting for the transaction timeout")
                .register(meters);
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("abandoned-transaction-fencer").daemon().factory());
    }

    /**
     * Checks every {@code period} with an admin client built from {@code adminProperties}.
     * {@code minimumAge}: younger transactions are left alone (a live instance commits every
     * commit interval; a dead one's transaction is at least a session timeout old when it is found).
     */
    public static AbandonedTransactionFencer start(Map<String, Object> adminProperties, String applicationId,
                                            Duration period, Duration minimumAge, MeterRegistry meters) {
        AbandonedTransactionFencer fencer =
                new AbandonedTransactionFencer(Admin.create(adminProperties), applicationId, minimumAge, meters);
        fencer.timer.scheduleWithFixedDelay(fencer::checkQuietly, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return fencer;
    }

    private void checkQuietly() {
        try {
            fenceAbandoned();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // A broker outage or a coordinator move: the broker's own timeout still aborts them.
            // Said at most once a minute, so an outage does not flood the log.
            long now = System.nanoTime();
            if (now - lastFailureLogged > FAILURE_LOG_EVERY.toNanos()) {
                lastFailureLogged = now;
                LOG.log(Level.WARNING, "abandoned-transaction check failed (retried every period; the"
                        + " transaction timeout still aborts them): " + e);
            }
        }
    }

    /** One check: lists, decides, fences. Returns the transactional ids it fenced. */
    public Set<String> fenceAbandoned() throws ExecutionException, InterruptedException, TimeoutException {
        List<String> open = openTransactionalIds();
        if (open.isEmpty()) {
            return Set.of();
        }
        Optional<Set<String>> toFence = abandoned.toFence(open, memberClientIds());
        if (toFence.isEmpty() || toFence.get().isEmpty()) {
            return Set.of();
        }
        admin.fenceProducers(toFence.get()).all().get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        fenced.increment(toFence.get().size());
        LOG.info("fenced the open transactions of state-processor instances no longer in group " + applicationId
                + ": " + toFence.get());
        return toFence.get();
    }

    private List<String> openTransactionalIds() throws ExecutionException, InterruptedException, TimeoutException {
        ListTransactionsOptions options = new ListTransactionsOptions()
                .filterStates(List.of(TransactionState.ONGOING))
                .filterOnDuration(minimumAge.toMillis());
        Collection<TransactionListing> listings =
                admin.listTransactions(options).all().get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return listings.stream().map(TransactionListing::transactionalId)
                .filter(id -> id.startsWith(applicationId + "-")).toList();
    }

    private List<String> memberClientIds() throws ExecutionException, InterruptedException, TimeoutException {
        return admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId)
                .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .members().stream().map(MemberDescription::clientId).toList();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
