package io.llmlb.health.query.view;

import io.llmlb.health.wire.DetectorEvent;
import java.time.Instant;

/** Builds a {@link DetectorHolds} holding as given, for HTTP tests in other packages. */
public final class DetectorHoldsAccess {

    private DetectorHoldsAccess() {
    }

    public static DetectorHolds holding(Instant since, long heldNodes, Instant until) {
        DetectorHolds holds = new DetectorHolds();
        holds.accept(new DetectorEvent("0_0", true, DetectorEvent.MASS_SILENCE, since, since, heldNodes, 30, until));
        return holds;
    }
}
