package io.llmlb.health.processor.topology;

import io.llmlb.health.processor.config.SuspensionSettings;
import io.llmlb.health.wire.InputTick;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * When silence makes a node offline, in one place. Three parts, each with its reason:
 * <ol>
 * <li>The rule: a node online since {@code onlineSince} and last seen at {@code lastSeen} times out
 *     one node timeout after the later of the two, and a heartbeat older than one timeout proves
 *     nothing about the present. The {@link NodeStateMachine} asks for deadlines here.</li>
 * <li>The grace after a restart or an outage of the monitor's input path ({@link InputWatch}): a
 *     deadline is judged only once ingest's ticks prove every heartbeat before it was applied, and
 *     silence overlapping an outage is judged no earlier than one timeout after it ended.</li>
 * <li>The mass-silence guard ({@link MassSilenceGuard}): when a large share of the fleet falls
 *     silent at once, verdicts are held for a bounded time, as that looks like the monitor's own
 *     failure rather than that many machines dying together.</li>
 * </ol>
 * The processor asks it, at each sweep, up to when deadlines may be judged and whether to hold.
 */
final class TimeoutPolicy {

    private final Duration nodeTimeout;
    private final MassSilenceGuard massSilence;
    private InputWatch input;

    TimeoutPolicy(Duration nodeTimeout, SuspensionSettings suspension) {
        this.nodeTimeout = nodeTimeout;
        this.massSilence = new MassSilenceGuard(suspension);
    }

    // --- the rule ------------------------------------------------------------------------------

    /** When a node online since {@code onlineSince} and last seen at {@code lastSeen} times out. */
    Instant deadline(Instant lastSeen, Instant onlineSince) {
        return later(lastSeen, onlineSince).plus(nodeTimeout);
    }

    /** Whether a node last seen at {@code lastSeen} was present recently enough, at {@code now}, to count as alive. */
    boolean provesPresence(Instant lastSeen, Instant now) {
        return provesPresence(lastSeen, now, nodeTimeout);
    }

    /** The same rule for a node with its own timeout {@code timeout} ({@link NodeTimeouts}). */
    Instant deadline(Instant lastSeen, Instant onlineSince, Duration timeout) {
        return later(lastSeen, onlineSince).plus(timeout);
    }

    /** The same rule for a node with its own timeout {@code timeout} ({@link NodeTimeouts}). */
    boolean provesPresence(Instant lastSeen, Instant now, Duration timeout) {
        return now.isBefore(lastSeen.plus(timeout));
    }

    /** The fleet's timeout ({@code LLMLB_NODE_TIMEOUT}), for nodes without their own. */
    Duration nodeTimeout() {
        return nodeTimeout;
    }

    // --- grace after an outage of the input path ------------------------------------------------

    /** Starts watching the input path from the task's tick store (at processor init: the store holds what a previous owner saw). */
    void watchInput(KeyValueStore<String, Long> ticks) {
        this.input = new InputWatch(ticks, nodeTimeout);
    }

    /** Records {@code tick}; returns the outage of the input path it ends, or null. */
    InputWatch.Outage onTick(InputTick tick) {
        return input.onTick(tick);
    }

    /** The earliest deadline a node silent during {@code outage} can get. */
    Instant graceEnd(InputWatch.Outage outage) {
        return input.graceEnd(outage);
    }

    /** {@code deadline}, moved later if the silence it would judge overlapped the latest outage. */
    Instant fairDeadline(Instant deadline) {
        return input.fairDeadline(deadline);
    }

    // --- what a sweep may judge -----------------------------------------------------------------

    /** Deadlines up to this instant may be judged at {@code now}; null while no tick proved anything yet. */
    Instant judgeableUpTo(Instant now) {
        Instant judgedUpTo = input.judgedUpTo();
        if (judgedUpTo == null) {
            return null;
        }
        return judgedUpTo.isBefore(now) ? judgedUpTo : now;
    }

    /** Whether no tick came for longer than an outage gap by the processor's clock: verdicts are held. */
    boolean isInputOut(Instant now) {
        return input.isInputOut(now);
    }

    /**
     * Tells the mass-silence guard that this sweep found {@code expired} of {@code online} nodes
     * past their deadline. Called once per sweep (the guard keeps how long it has held).
     */
    void evaluateMassSilence(long expired, long online, Instant now) {
        massSilence.evaluate(expired, online, now);
    }

    /** Whether the mass-silence guard holds every verdict now (the input watch only limits how far they reach). */
    boolean isMassSilence() {
        return massSilence.isSuspended();
    }

    /** When the current mass-silence hold ends at the latest, or null when none holds. */
    Instant massSilenceHoldUntilAtMost() {
        return massSilence.holdUntilAtMost();
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
