package io.llmlb.health.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.query.view.NodeView;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    private static final Duration NO_WAIT = Duration.ZERO;

    @Test
    void deliversUpdatesInOrder() throws InterruptedException {
        EventQueue queue = new EventQueue(4);
        queue.update(removal("node-1"));
        queue.update(removal("node-2"));

        assertEquals("node-1", queue.poll(NO_WAIT).nodeId());
        assertEquals("node-2", queue.poll(NO_WAIT).nodeId());
        assertNull(queue.poll(NO_WAIT));
        assertFalse(queue.overflowed());
    }

    @Test
    void slowClientIsCutOffInsteadOfBufferedForever() throws InterruptedException {
        EventQueue queue = new EventQueue(3);
        for (int i = 0; i < 10_000; i++) {
            queue.update(removal("node-" + i));
        }

        assertTrue(queue.overflowed());
        for (int i = 0; i < 3; i++) {
            assertEquals("node-" + i, queue.poll(NO_WAIT).nodeId(), "what fitted is still delivered");
        }
        assertSame(EventQueue.END, queue.poll(NO_WAIT));
        assertNull(queue.poll(NO_WAIT), "nothing after END");
    }

    @Test
    void endOfFeedFitsEvenIntoAFullQueue() throws InterruptedException {
        EventQueue queue = new EventQueue(2);
        queue.update(removal("node-1"));
        queue.update(removal("node-2"));
        queue.ended();

        queue.poll(NO_WAIT);
        queue.poll(NO_WAIT);
        assertSame(EventQueue.END, queue.poll(NO_WAIT));
        assertFalse(queue.overflowed());
    }

    private static NodeView.Update removal(String nodeId) {
        return new NodeView.Update(nodeId, null);
    }
}
