package io.llmlb.health.query.http;

import io.llmlb.health.query.view.NodeStateFeed;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One event stream's updates: filled on the feed's thread, drained on the request's thread, and
 * bounded. When the client falls {@code capacity} updates behind, the queue stops taking more and
 * ends with {@link #END}: the stream closes and the client starts again from a fresh snapshot,
 * rather than the server buffering for it without limit or the feed waiting for it.
 */
final class EventQueue implements NodeStateFeed.Subscriber {

    /** The last element: the feed stopped, or the client fell behind ({@link #overflowed()}). */
    static final NodeStateFeed.Update END = new NodeStateFeed.Update(null, null);

    private final BlockingQueue<NodeStateFeed.Update> queue;
    private volatile boolean overflowed;

    EventQueue(int capacity) {
        // One slot more than the limit, kept free for END. The feed's thread is the only producer,
        // so checking the room and then adding cannot race with another add.
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    @Override
    public void update(NodeStateFeed.Update update) {
        if (overflowed) {
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
    NodeStateFeed.Update poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the client fell too far behind. */
    boolean overflowed() {
        return overflowed;
    }
}
