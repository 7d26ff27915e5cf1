package io.llmlb.health.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    private static final Instant T = Instant.parse("2025-01-01T12:00:00Z");

    private final DeadlineIndex index = new DeadlineIndex();

    @Test
    void dueNodesComeEarliestFirstAndAMovedNodeOnlyAtItsNewTime() {
        index.move("node-b", null, T.plusSeconds(2));
        index.move("node-a", null, T.plusSeconds(2));
        index.move("node-c", null, T.plusSeconds(1));
        index.move("node-d", null, T.plusSeconds(5));
        index.move("node-d", T.plusSeconds(5), T.plusSeconds(9));

        assertEquals(List.of("node-c", "node-a", "node-b"), index.upTo(T.plusSeconds(2)));
        assertEquals(List.of("node-c"), index.before(T.plusSeconds(2)));
        assertEquals(List.of(), index.upTo(T.plusSeconds(8)).stream().filter("node-d"::equals).toList());
        assertEquals(List.of("node-a", "node-b", "node-d"), index.between(T.plusSeconds(1), T.plusSeconds(10)));
        assertEquals(4, index.size());
    }

    @Test
    void aNodeTakenOutIsNoLongerDueAndAnEmptyOrInvertedRangeIsEmpty() {
        index.move("node-a", null, T);
        index.move("node-a", T, null);

        assertEquals(List.of(), index.upTo(T.plusSeconds(60)));
        assertEquals(0, index.size());
        assertEquals(List.of(), index.between(T.plusSeconds(5), T.plusSeconds(5)));
        assertEquals(List.of(), index.between(T.plusSeconds(5), T));
    }

    @Test
    void clearForgetsEveryNode() {
        index.move("node-a", null, T);
        index.clear();

        assertEquals(List.of(), index.upTo(T));
    }
}
