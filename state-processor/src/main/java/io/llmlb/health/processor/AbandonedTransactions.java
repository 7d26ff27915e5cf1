package io.llmlb.health.processor;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which open transactions of a Kafka Streams application belong to instances that are no longer
 * in its consumer group: the pure decision behind {@link AbandonedTransactionFencer}.
 *
 * <p>Exactly-once v2 names each stream thread's transactional id
 * {@code <application.id>-<processId>-<threadIndex>}; with no {@code client.id} set, the same
 * thread's group member has client id {@code <application.id>-<processId>-StreamThread-<n>-consumer}.
 * A transaction whose process id matches no member's was opened by an instance the group has
 * dropped (dead, or frozen past its session): nothing will ever commit it, and until the broker
 * aborts it the committed offsets of its partitions cannot be read by the instance taking them over.
 */
final class AbandonedTransactions {

    private static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private final Pattern transactionalId;
    private final Pattern memberClientId;

    AbandonedTransactions(String applicationId) {
        String app = Pattern.quote(applicationId);
        this.transactionalId = Pattern.compile(app + "-(" + UUID + ")-\\d+");
        this.memberClientId = Pattern.compile(app + "-(" + UUID + ")-StreamThread-\\d+-consumer");
    }

    /**
     * The transactional ids among {@code openTransactionalIds} (any application's) whose process
     * is not among the group's members, listed after the transactions were. Empty when a member's
     * client id does not say its process (a client id set by hand): then nobody's transaction can
     * be told abandoned, and fencing a live instance's would cost it a rebalance. Empty too when the
     * group has no member: the caller itself has not joined yet, so the description is not one to
     * act on.
     */
    Optional<Set<String>> toFence(Collection<String> openTransactionalIds, Collection<String> memberClientIds) {
        if (memberClientIds.isEmpty()) {
            return Optional.empty();
        }
        Set<String> liveProcesses = new HashSet<>();
        for (String clientId : memberClientIds) {
            Matcher member = memberClientId.matcher(clientId);
            if (!member.matches()) {
                return Optional.empty();
            }
            liveProcesses.add(member.group(1).toLowerCase(Locale.ROOT));
        }
        Set<String> abandoned = new TreeSet<>();
        for (String id : openTransactionalIds) {
            Matcher transaction = transactionalId.matcher(id);
            if (transaction.matches() && !liveProcesses.contains(transaction.group(1).toLowerCase(Locale.ROOT))) {
                abandoned.add(id);
            }
        }
        return Optional.of(abandoned);
    }
}
