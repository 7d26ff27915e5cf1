package io.llmlb.health.query.http;

import io.llmlb.health.query.view.NodeView;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One event stream's updates: filled on the node view's writer thread, drained on the request's thread, and
 * bounded. When the client falls {@code capacity} updates behind, the queue stops taking more and
 * ends with {@link #END}: the stream closes and the client starts again from a fresh snapshot,
 * rather than the server buffering for it without limit or the view waiting for it.
 */
final class EventQueue implements NodeView.Listener {

    /** The last element: the view stopped, or the client fell behind ({@link #overflowed()}). */
    static final NodeView.Update END = new NodeView.Update(null, null);

    private final BlockingQueue<NodeView.Update> queue;
    private volatile boolean overflowed;
    private final java.util.Set<String> watched;

    EventQueue(int capacity) {
        this(capacity, null);
    }

    /** A queue that takes only the updates of {@code watched} node ids (all when null). */
    EventQueue(int capacity, java.util.Set<String> watched) {
        // One slot more than the limit, kept free for END. The view's writer is the only producer,
        // so checking the room and then adding cannot race with another add.
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.watched = watched;
    }

    @Override
    public void update(NodeView.Update update) {
        if (overflowed || (watched != null && !watched.contains(update.nodeId()))) {
            return;
        }
        if (queue.remainingCapacity() > 1) {
            queue.add(update);
        } else {
            overflowed = true;
            queue.add(END);
        }
    }

    @Override
    public void ended() {
        queue.offer(END);
    }

    /** The next update, {@link #END}, or null when none came within {@code timeout}. */
    NodeView.Update poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the client fell too far behind. */
    boolean overflowed() {
        return overflowed;
    }
}
