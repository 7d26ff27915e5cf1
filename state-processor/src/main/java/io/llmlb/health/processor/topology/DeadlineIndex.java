package io.llmlb.health.processor.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Nodes ordered by a time of theirs (when they time out, when their flapping settles), so that
 * "whose time has come" is a range, O(due). Kept in memory by the processor of one task and built
 * again from the node-state store at every init, so it needs no changelog.
 *
 * <p>A plain sorted set rather than a Kafka Streams store: every heartbeat moves its node's
 * deadline, and through a store each move was two metered calls that encoded the key to bytes, and
 * each sweep copied the due keys into a new sorted set before reading them (docs/benchmarks.md,
 * figure 9d).
 */
final class DeadlineIndex {

    private final NavigableSet<String> keys = new TreeSet<>();

    /** Forgets everything (a task's processor starting over). */
    void clear() {
        keys.clear();
    }

    /** Moves {@code nodeId} from {@code from} to {@code to}; either may be null (not indexed). */
    void move(String nodeId, Instant from, Instant to) {
        if (from != null && !from.equals(to)) {
            keys.remove(DeadlineKeys.of(from, nodeId));
        }
        if (to != null) {
            keys.add(DeadlineKeys.of(to, nodeId));
        }
    }

    /** Nodes whose time is before {@code limit}, earliest first. */
    List<String> before(Instant limit) {
        return headUpTo(DeadlineKeys.before(limit));
    }

    /** Nodes whose time is {@code now} or earlier, earliest first. */
    List<String> upTo(Instant now) {
        return headUpTo(DeadlineKeys.upTo(now));
    }

    /** Most sweeps find nothing due (ten a second per task): answered from the first key alone. */
    private List<String> headUpTo(String lastKey) {
        if (keys.isEmpty() || keys.first().compareTo(lastKey) > 0) {
            return List.of();
        }
        return nodes(keys.headSet(lastKey, true));
    }

    /** Nodes whose time is after {@code after} and before {@code before}, earliest first. */
    List<String> between(Instant after, Instant before) {
        String from = DeadlineKeys.after(after);
        String to = DeadlineKeys.before(before);
        return from.compareTo(to) > 0 ? List.of() : nodes(keys.subSet(from, true, to, true));
    }

    /** Nodes indexed. */
    int size() {
        return keys.size();
    }

    /** A copy, so that the caller may move the nodes it reads (not sized: a view's size() walks it). */
    private static List<String> nodes(NavigableSet<String> due) {
        List<String> nodeIds = new ArrayList<>();
        for (String key : due) {
            nodeIds.add(key.substring(key.indexOf('/') + 1));
        }
        return nodeIds;
    }
}
