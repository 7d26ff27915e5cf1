package io.llmlb.health.wire;

import java.time.Instant;

/**
 * What one task of the state-processor's detector says about itself, on {@code detector-events}
 * (keyed by task): it started holding its offline verdicts, it resumed judging, or, once after each
 * start, that it is judging. Kept off {@code node-state-changes} so readers of transitions see only
 * transitions. The latest event of every task tells whether verdicts are held now; a task that
 * crashed while holding says {@code holding=false} after its restart, so no hold outlives it.
 *
 * @param task the Kafka Streams task (one per input partition), e.g. {@code 0_3}
 * @param holding whether the task's verdicts are held from {@code at} on
 * @param cause why they are held ({@link #INPUT_PATH_OUT} or {@link #MASS_SILENCE}), null when not held
 * @param at when the task decided
 * @param since when the hold began: {@code at} when it starts, the hold's start when it ends, null
 *        for the event after a start that finds nothing held
 * @param heldNodes online nodes of the task whose deadline had passed but were not judged, at {@code at}
 * @param onlineNodes online nodes of the task at {@code at}
 * @param holdUntilAtMost when a mass-silence hold is released at the latest
 *        ({@code LLMLB_SUSPEND_MAX_HOLD}); null when not held, or when the input path is out
 *        (no bound: silence during an outage of the monitor's own input proves nothing)
 */
public record DetectorEvent(String task,
                            boolean holding,
                            String cause,
                            Instant at,
                            Instant since,
                            long heldNodes,
                            long onlineNodes,
                            Instant holdUntilAtMost) {

    /** Ingest's ticks stopped: the monitor's own input path is out. */
    public static final String INPUT_PATH_OUT = "input-path-out";
    /** So many nodes fell silent in one sweep that the silence is suspect. */
    public static final String MASS_SILENCE = "mass-silence";
}
