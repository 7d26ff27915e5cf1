package io.llmlb.health.query.view;

import io.llmlb.health.http.ApiException;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The query API's one copy of every node: a {@link NodeEntry} per node, ordered by id, with the
 * counts per state kept as it changes. {@code GET /v0/nodes}, {@code GET /v0/nodes/{id}},
 * {@code /metrics} and {@code /v0/events} all read it. One writer ({@link KafkaNodeView}'s thread,
 * or a test) applies changes; any number of readers page through it without a lock, as entries
 * are immutable and the map is concurrent. Listeners hear of every change on the writer's thread.
 *
 * <p>Until the writer has read everything that was in the topic at start, reads answer 503: a
 * half-read view would show nodes as missing.
 */
public final class NodeView {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    /** A node's new entry, or its removal ({@code node} null). */
    public record Update(String nodeId, NodeEntry node) {
    }

    /** Hears every change on the view's writer thread; must not block. */
    public interface Listener {

        /** A node changed or was removed. */
        void update(Update update);

        /** The view stopped: no more updates will come. */
        default void ended() {
        }
    }

    /** What a subscriber starts from: every node as of subscribing, ordered by id. */
    public record Subscription(List<NodeEntry> snapshot, Runnable cancel) implements AutoCloseable {
        @Override
        public void close() {
            cancel.run();
        }
    }

    /** Nodes per state at one moment, and their total. */
    public record Counts(Map<NodeStatus, Long> byState, long total) {
    }

    private final ConcurrentSkipListMap<String, NodeEntry> nodes = new ConcurrentSkipListMap<>();
    private final AtomicLongArray countByState = new AtomicLongArray(NodeStatus.values().length);
    private final Set<Listener> listeners = new CopyOnWriteArraySet<>();
    private final SharedValues shared = new SharedValues();
    private final RegistryStrings strings;
    private volatile boolean caughtUp;
    private volatile boolean stopped;

    /** A view whose entries keep the strings their states were decoded with. */
    public NodeView() {
        this(RegistryStrings.NONE);
    }

    /** A view whose entries keep {@code strings}' copy of each node's id and machine name. */
    public NodeView(RegistryStrings strings) {
        this.strings = strings;
    }

    /** Sets {@code node} as its node's latest state; called by the one writer. */
    public synchronized void put(NodeState node) {
        NodeEntry previous = nodes.get(node.nodeId());
        NodeEntry entry = NodeEntry.of(node, previous, shared, strings);
        nodes.put(entry.nodeId(), entry);
        if (previous != null) {
            countByState.decrementAndGet(previous.state().ordinal());
        }
        countByState.incrementAndGet(entry.state().ordinal());
        tell(new Update(entry.nodeId(), entry));
    }

    /** Forgets {@code nodeId} (deleted); called by the one writer. */
    public synchronized void remove(String nodeId) {
        NodeEntry previous = nodes.remove(nodeId);
        if (previous != null) {
            countByState.decrementAndGet(previous.state().ordinal());
            tell(new Update(nodeId, null));
        }
    }

    private void tell(Update update) {
        for (Listener listener : listeners) {
            listener.update(update);
        }
    }

    /** The writer has read everything that was in the topic at start: reads may be answered. */
    public synchronized void markCaughtUp() {
        caughtUp = true;
        notifyAll();
    }

    /** Waits until reads may be answered; false on timeout or when the view stopped. */
    public synchronized boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp && !stopped) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return isReady();
    }

    /** The writer stopped: listeners hear it and no change will come any more. */
    public synchronized void markStopped() {
        stopped = true;
        notifyAll();
        listeners.forEach(Listener::ended);
    }

    /** Whether reads are answered: caught up and not stopped. */
    public boolean isReady() {
        return caughtUp && !stopped;
    }

    /** One node; 503 while the view is not ready. */
    public java.util.Optional<NodeEntry> find(String nodeId) {
        requireReady();
        return java.util.Optional.ofNullable(nodes.get(nodeId));
    }

    /**
     * The nodes from just after {@code afterId} (null: from the first) in id order, or in reverse
     * order when {@code descending}, read lazily as the caller iterates; 503 while the view is not
     * ready. Weakly consistent: a change during the iteration may or may not be seen, never twice.
     */
    public Iterator<NodeEntry> from(String afterId, boolean descending) {
        requireReady();
        NavigableMap<String, NodeEntry> ordered = descending ? nodes.descendingMap() : nodes;
        return (afterId == null ? ordered : ordered.tailMap(afterId, false)).values().iterator();
    }

    /** Nodes per state now; 503 while the view is not ready. */
    public Counts counts() {
        requireReady();
        Map<NodeStatus, Long> byState = new EnumMap<>(NodeStatus.class);
        long total = 0;
        for (NodeStatus status : NodeStatus.values()) {
            long count = countByState.get(status.ordinal());
            byState.put(status, count);
            total += count;
        }
        return new Counts(byState, total);
    }

    /** How many nodes the view holds (ready or not). */
    public int size() {
        return nodes.size();
    }

    /**
     * Listens to every change from now on, without a snapshot (the history store's feed). The
     * listener runs on the writer's thread and must not block.
     */
    public Runnable listen(Listener listener) {
        listeners.add(listener);
        if (stopped) {
            listener.ended();
        }
        return () -> listeners.remove(listener);
    }

    /**
     * Subscribes {@code listener} to every change after the returned snapshot: both are taken under
     * the writer's lock, so no change falls between them. The snapshot holds references to the
     * immutable entries, not copies.
     */
    public synchronized Subscription subscribe(Listener listener) {
        if (stopped) {
            listener.ended();
        }
        listeners.add(listener);
        List<NodeEntry> snapshot = new ArrayList<>(nodes.values());
        return new Subscription(snapshot, () -> listeners.remove(listener));
    }

    private void requireReady() {
        if (!isReady()) {
            throw ApiException.unavailable(stopped ? "node view stopped following node-state"
                    : "node view is not ready yet (still reading node-state)", RETRY_AFTER);
        }
    }
}
