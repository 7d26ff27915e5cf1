package io.llmlb.health.query.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.wire.DetectorEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorHoldsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    private static DetectorEvent holding(String task, Instant at, long held, Instant until, String cause) {
        return new DetectorEvent(task, true, cause, at, at, held, 20, until);
    }

    @Test
    void heldWhileAnyTaskHoldsSummingNodesFromTheOldestHold() {
        DetectorHolds holds = new DetectorHolds();
        holds.accept(holding("0_0", T0, 12, T0.plusSeconds(300), DetectorEvent.MASS_SILENCE));
        holds.accept(holding("0_1", T0.plusSeconds(2), 14, T0.plusSeconds(302), DetectorEvent.MASS_SILENCE));

        DetectorHolds.Summary summary = holds.summary();

        assertTrue(summary.holding());
        assertEquals(26, summary.heldNodes());
        assertEquals(T0, summary.since());
        assertEquals(T0.plusSeconds(302), summary.untilAtMost());
        assertEquals(List.of(DetectorEvent.MASS_SILENCE), summary.causes());
    }

    @Test
    void aHoldWithoutBoundHasNoUntilAndAResumeOrRestartEndsIt() {
        DetectorHolds holds = new DetectorHolds();
        holds.accept(holding("0_0", T0, 3, T0.plusSeconds(300), DetectorEvent.MASS_SILENCE));
        holds.accept(holding("0_1", T0, 3, null, DetectorEvent.INPUT_PATH_OUT));
        assertNull(holds.summary().untilAtMost());

        holds.accept(new DetectorEvent("0_0", false, null, T0.plusSeconds(5), T0, 0, 20, null));
        holds.accept(new DetectorEvent("0_1", false, null, T0.plusSeconds(9), null, 0, 20, null)); // restarted
        holds.accept(holding("0_1", T0.plusSeconds(1), 3, null, DetectorEvent.INPUT_PATH_OUT)); // older: ignored

        assertFalse(holds.summary().holding());
    }
}
