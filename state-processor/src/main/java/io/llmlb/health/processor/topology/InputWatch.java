package io.llmlb.health.processor.topology;

import io.llmlb.health.wire.InputPath;
import io.llmlb.health.wire.InputTick;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What one task knows about its own input path, from the {@link InputTick}s on its partition of
 * the heartbeats topic. It replaces "silence is what the wall clock says" with "silence is what
 * the log proves":
 * <ul>
 * <li>A deadline may be judged only once every live ingest replica has ticked past it
 *     ({@link #judgedUpTo()}): every heartbeat received before the deadline, still in flight or
 *     waiting in the backlog of a processor that just took over, is then already applied.</li>
 * <li>A gap between ticks longer than {@link InputPath#OUTAGE_GAP} is an outage of the input
 *     path. Silence overlapping it is never judged: a deadline that falls after the outage began
 *     and less than one timeout after it ended is moved to one timeout after its end
 *     ({@link #fairDeadline(Instant)}). The first tick a task ever sees ends an outage of
 *     unknown start, which is the old restart rule.</li>
 * </ul>
 * A processor failover while ingest runs shows no gap, so it adds no grace: only the takeover.
 * Everything is kept in a changelogged store, so a task moved to another instance knows it too.
 */
final class InputWatch {

    /** Store keys of the latest outage; replica ids never start with '@'. */
    private static final String OUTAGE_FROM = "@outage-from";
    private static final String OUTAGE_TO = "@outage-to";
    /** A replica silent for this long is forgotten (each process start ticks under a new id). */
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    /** An outage of the input path: no tick between {@code lastTickBefore} and {@code firstTickAfter}. */
    record Outage(Instant lastTickBefore, Instant firstTickAfter) {
    }

    private final KeyValueStore<String, Long> store;
    private final Duration nodeTimeout;
    private final Map<String, Long> upToByReplica = new HashMap<>();
    private Long latest;
    private Outage lastOutage;

    InputWatch(KeyValueStore<String, Long> store, Duration nodeTimeout) {
        this.store = store;
        this.nodeTimeout = nodeTimeout;
        Long from = null;
        Long to = null;
        try (KeyValueIterator<String, Long> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                switch (entry.key) {
                    case OUTAGE_FROM -> from = entry.value;
                    case OUTAGE_TO -> to = entry.value;
                    default -> upToByReplica.put(entry.key, entry.value);
                }
            }
        }
        upToByReplica.values().forEach(this::raiseLatest);
        if (from != null && to != null) {
            lastOutage = new Outage(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
        }
    }

    /** Records {@code tick}; returns the outage it ends, or null when the input path was up. */
    Outage onTick(InputTick tick) {
        long upTo = tick.upTo().toEpochMilli();
        Long previous = upToByReplica.get(tick.replicaId());
        if (previous != null && previous >= upTo) {
            return null;
        }
        upToByReplica.put(tick.replicaId(), upTo);
        store.put(tick.replicaId(), upTo);
        Outage ended = null;
        if (latest == null || upTo - latest > InputPath.OUTAGE_GAP.toMillis()) {
            ended = new Outage(Instant.ofEpochMilli(latest == null ? 0 : latest), tick.upTo());
            lastOutage = ended;
            store.put(OUTAGE_FROM, ended.lastTickBefore().toEpochMilli());
            store.put(OUTAGE_TO, upTo);
        }
        raiseLatest(upTo);
        forgetSilentReplicas();
        return ended;
    }

    /**
     * Deadlines strictly before this instant may be judged: the oldest tick among replicas that
     * may still hold a heartbeat in flight; null before the first tick.
     */
    Instant judgedUpTo() {
        if (latest == null) {
            return null;
        }
        long stillInFlight = latest - InputPath.IN_FLIGHT_BOUND.toMillis();
        long oldest = latest;
        for (long upTo : upToByReplica.values()) {
            if (upTo >= stillInFlight && upTo < oldest) {
                oldest = upTo;
            }
        }
        return Instant.ofEpochMilli(oldest);
    }

    /** Whether no tick came for longer than an outage gap by the processor's clock (verdicts are held). */
    boolean isInputOut(Instant now) {
        return latest == null || now.toEpochMilli() - latest > InputPath.OUTAGE_GAP.toMillis();
    }

    /**
     * {@code deadline}, or one timeout after the latest outage ended when the silence it would
     * judge ({@code deadline - timeout .. deadline}) overlaps that outage.
     */
    Instant fairDeadline(Instant deadline) {
        if (lastOutage == null || deadline == null || !deadline.isAfter(lastOutage.lastTickBefore())) {
            return deadline;
        }
        Instant graceEnd = graceEnd(lastOutage);
        return deadline.isBefore(graceEnd) ? graceEnd : deadline;
    }

    /** The earliest deadline a node silent during {@code outage} can get. */
    Instant graceEnd(Outage outage) {
        return outage.firstTickAfter().plus(nodeTimeout);
    }

    private void raiseLatest(long upTo) {
        if (latest == null || upTo > latest) {
            latest = upTo;
        }
    }

    private void forgetSilentReplicas() {
        long forgetBefore = latest - FORGET_AFTER.toMillis();
        List<String> gone = new ArrayList<>();
        upToByReplica.forEach((replica, upTo) -> {
            if (upTo < forgetBefore) {
                gone.add(replica);
            }
        });
        gone.forEach(replica -> {
            upToByReplica.remove(replica);
            store.delete(replica);
        });
    }
}
