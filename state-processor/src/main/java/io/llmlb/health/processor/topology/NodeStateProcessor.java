package io.llmlb.health.processor.topology;

import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.wire.DetectorEvent;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.InputTick;
import io.llmlb.health.wire.NodeEvent;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.Reason;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.StateChange;
import io.llmlb.health.wire.StoreNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies registry entries and heartbeats to the node-state store and detects timeouts with a
 * wall-clock punctuator. Stream time would stop exactly when heartbeats stop, which is the case
 * to detect, hence WALL_CLOCK_TIME.
 *
 * <p>The punctuator looks only at nodes whose deadline passed: the {@link DeadlineIndex} is ordered
 * by (deadline, node id), so a sweep is a range and costs O(expired nodes). What "passed" means
 * is decided by the {@link TimeoutPolicy}: a deadline is judged only once ingest's ticks prove
 * every heartbeat sent before it has been applied, silence overlapping an outage of the input
 * path is never judged, and a mass silence holds the verdicts.
 */
final class NodeStateProcessor implements Processor<String, NodeEvent, String, Object> {

    private static final Logger LOG = Logger.getLogger(NodeStateProcessor.class.getName());

    /**
     * Verdicts in one sweep above which each transition is logged at FINE and the sweep logs one
     * summary line: a rack of 40,000 nodes losing power is one event for an operator reading the log,
     * and 40,000 formatted lines cost the verdicts about a sixth of their time. Every transition is
     * still on the change topic.
     */
    static final int TRANSITIONS_LOGGED_PER_SWEEP = 100;

    /** How long heartbeats wait for their node's registration before they are dropped. */
    static final Duration EARLY_HEARTBEATS_KEPT = Duration.ofMinutes(10);
    /**
     * How often the held heartbeats are checked for ones to drop: they are kept for minutes, so a
     * store scan at every sweep (ten a second per task at the shortest interval) bought nothing.
     */
    private static final Duration HELD_HEARTBEATS_CHECKED_EVERY = Duration.ofSeconds(10);

    private final TimeoutPolicy policy;
    private final NodeStateMachine machine;
    private final Duration checkInterval;
    private final String registryTopic;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, NodeState> nodes;
    private KeyValueStore<String, String> lastRequests;
    private KeyValueStore<String, EarlyHeartbeats> earlyHeartbeats;
    /** Online nodes by deadline: a sweep reads the expired ones. */
    private final DeadlineIndex deadlines = new DeadlineIndex();
    /** Flapping nodes by when they settle (few; the node state holds the truth). */
    private final DeadlineIndex flappingUntil = new DeadlineIndex();
    /** Null until the first sweep after start, which always reports, so no hold outlives a crash. */
    private Boolean held;
    private Instant heldSince;
    private Instant heldHeartbeatsCheckDue = Instant.MIN;

    NodeStateProcessor(StateProcessorConfig config, DetectorMetrics metrics) {
        this.policy = new TimeoutPolicy(config.nodeTimeout(), config.suspension());
        this.machine = new NodeStateMachine(policy, config.flapping());
        this.checkInterval = config.checkInterval();
        this.registryTopic = config.kafka().topics().nodeRegistry();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.nodes = context.getStateStore(StoreNames.NODE_STATE);
        this.lastRequests = context.getStateStore(StoreNames.LAST_REQUEST);
        this.earlyHeartbeats = context.getStateStore(StoreNames.EARLY_HEARTBEATS);
        policy.watchInput(context.getStateStore(StoreNames.INPUT_TICKS));
        rebuildDeadlineIndex();
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::sweepExpired);
    }

    @Override
    public void process(Record<String, NodeEvent> record) {
        String nodeId = record.key();
        if (record.value() instanceof InputTick tick) {
            onTick(tick);
            return;
        }
        if (nodeId == null || isRetry(nodeId, record.value())) {
            return;
        }
        NodeState current = nodes.get(nodeId);
        if (current == null && record.value() instanceof Heartbeat heartbeat) {
            holdUntilRegistered(nodeId, heartbeat);
            return;
        }
        Outcome outcome = switch (record.value()) {
            case Registration registration -> machine.onRegistration(current, registration, now());
            case Heartbeat heartbeat -> machine.onHeartbeat(current, heartbeat, now());
            case InputTick tick -> Outcome.unchanged(current);
            case null -> isFromRegistry() ? machine.onRemoval(current, now()) : Outcome.unchanged(current);
        };
        apply(nodeId, current, outcome);
        rememberRequest(nodeId, record.value(), outcome.next());
        if (current == null && outcome.next() != null) {
            countHeldHeartbeats(nodeId, outcome.next());
        } else if (outcome.next() == null) {
            earlyHeartbeats.delete(nodeId);
        }
    }

    /**
     * A heartbeat of a node whose registration this task has not processed yet (ingest already
     * knew the token): held, so that it is counted once the registration arrives. Only tokens of
     * registered nodes pass ingest, so what is held is bounded by the registry; entries whose node
     * never shows up (deleted meanwhile) are dropped after {@link #EARLY_HEARTBEATS_KEPT}.
     */
    private void holdUntilRegistered(String nodeId, Heartbeat heartbeat) {
        EarlyHeartbeats held = earlyHeartbeats.get(nodeId);
        if (held != null && held.holds(heartbeat)) {
            return;
        }
        earlyHeartbeats.put(nodeId, held == null ? EarlyHeartbeats.first(heartbeat) : held.plus(heartbeat));
        LOG.fine(() -> "heartbeat of " + nodeId + " came before its registration; held until it arrives");
    }

    /** The node was just registered: the heartbeats that came before count now, the latest as last seen. */
    private void countHeldHeartbeats(String nodeId, NodeState registered) {
        EarlyHeartbeats held = earlyHeartbeats.get(nodeId);
        if (held == null) {
            return;
        }
        earlyHeartbeats.delete(nodeId);
        Outcome latest = machine.onHeartbeat(registered, held.latest(), now());
        Outcome counted = new Outcome(latest.next().withHeartbeatsCounted(held.count() - 1), latest.change(),
                latest.stateChanged());
        apply(nodeId, registered, counted);
        rememberRequest(nodeId, held.latest(), counted.next());
    }

    /** Held heartbeats of nodes that never got registered (deleted before the processor saw them). */
    private void dropStaleHeldHeartbeats(Instant now) {
        if (now.isBefore(heldHeartbeatsCheckDue)) {
            return;
        }
        heldHeartbeatsCheckDue = now.plus(HELD_HEARTBEATS_CHECKED_EVERY);
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, EarlyHeartbeats> all = earlyHeartbeats.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.latest().receivedAt().plus(EARLY_HEARTBEATS_KEPT).isBefore(now)) {
                    stale.add(entry.key);
                }
            });
        }
        stale.forEach(earlyHeartbeats::delete);
    }

    /**
     * Whether the heartbeat repeats the last one applied: the gateway retried a request whose
     * first attempt was stored but not answered (the ingest replica died after writing).
     */
    private boolean isRetry(String nodeId, NodeEvent event) {
        if (event instanceof Heartbeat heartbeat && heartbeat.requestId() != null
                && heartbeat.requestId().equals(lastRequests.get(nodeId))) {
            LOG.fine(() -> "heartbeat " + heartbeat.requestId() + " of " + nodeId + " already applied; retry ignored");
            return true;
        }
        return false;
    }

    private void rememberRequest(String nodeId, NodeEvent event, NodeState after) {
        if (event == null && after == null) {
            lastRequests.delete(nodeId);
        } else if (after != null && event instanceof Heartbeat heartbeat && heartbeat.requestId() != null) {
            lastRequests.put(nodeId, heartbeat.requestId());
        }
    }

    /** A tick after a gap ends an outage of the input path: nodes silent during it get a grace. */
    private void onTick(InputTick tick) {
        InputWatch.Outage outage = policy.onTick(tick);
        if (outage == null) {
            return;
        }
        Instant graceEnd = policy.graceEnd(outage);
        List<String> overlapping = deadlines.between(outage.lastTickBefore(), graceEnd);
        for (String nodeId : overlapping) {
            NodeState current = nodes.get(nodeId);
            apply(nodeId, current, machine.deferred(current, graceEnd));
        }
        LOG.warning(() -> "input path of task " + context.taskId() + " was out from " + outage.lastTickBefore()
                + " to " + outage.firstTickAfter() + ": " + overlapping.size()
                + " nodes silent during it are not judged before " + graceEnd);
    }

    private void sweepExpired(long wallClockMillis) {
        long sweepStartedNanos = System.nanoTime(); // a cost measured for the metric, not a time the logic uses
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        dropStaleHeldHeartbeats(now);
        endSettledFlapping(now);
        Instant limit = policy.judgeableUpTo(now);
        List<String> expired = limit == null ? List.of() : deadlines.before(limit);
        // Every online node has exactly one deadline entry, so the index's size is the online count.
        long online = deadlines.size();
        policy.evaluateMassSilence(expired.size(), online, now);
        holdWhile(policy.isInputOut(now), now, expired.size(), online);
        if (policy.isMassSilence()) {
            return;
        }
        boolean logEach = expired.size() <= TRANSITIONS_LOGGED_PER_SWEEP;
        long verdicts = 0;
        for (String nodeId : expired) {
            NodeState current = nodes.get(nodeId);
            Outcome outcome = machine.onDeadline(current, now);
            if (outcome.change() != null) {
                verdicts++;
                if (machine.isDeferred(current)) {
                    metrics.deferredVerdict();
                } else {
                    metrics.detectionLag(Duration.between(current.deadline(), now));
                }
            }
            apply(nodeId, current, outcome, logEach);
        }
        if (!logEach) {
            long judged = verdicts;
            LOG.info(() -> "sweep of task " + context.taskId() + " judged " + judged + " of " + expired.size()
                    + " expired deadlines at once; their transitions are on the change topic (logged here at FINE)");
        }
        metrics.sweep(Duration.ofNanos(System.nanoTime() - sweepStartedNanos), expired.size());
    }

    /** Flapping ends for the nodes stable for a whole flap window (not a verdict: never held). */
    private void endSettledFlapping(Instant now) {
        for (String nodeId : flappingUntil.upTo(now)) {
            NodeState current = nodes.get(nodeId);
            apply(nodeId, current, machine.onFlappingSettled(current, now));
        }
    }

    /**
     * Says once when verdicts start being held (input path out, or the whole fleet silent at
     * once) and once when they resume, on the detector-events topic. While the input is out, only
     * deadlines the ticks already passed can be judged, so in practice nothing is.
     */
    private void holdWhile(boolean inputOut, Instant now, long expired, long online) {
        boolean holding = inputOut || policy.isMassSilence();
        if (held == null || holding != held) {
            Instant since = holding ? now : heldSince;
            heldSince = holding ? now : null;
            held = holding;
            String cause = !holding ? null : inputOut ? DetectorEvent.INPUT_PATH_OUT : DetectorEvent.MASS_SILENCE;
            Instant until = holding && !inputOut ? policy.massSilenceHoldUntilAtMost() : null;
            detectorEvent(new DetectorEvent(context.taskId().toString(), holding, cause, now, since, expired, online, until));
        }
        metrics.suspended(context.taskId().toString(), held);
    }

    private void detectorEvent(DetectorEvent event) {
        if (!event.holding() && event.since() == null) {
            LOG.info(() -> "detector judging task=" + event.task() + " online=" + event.onlineNodes());
        } else {
            LOG.warning(() -> (event.holding() ? "detector-suspended" : "detector-resumed") + " task=" + event.task()
                + " expired=" + event.heldNodes() + " online=" + event.onlineNodes()
                + (event.holding()
                        ? ": the monitor's own input path is out, or so many nodes fell silent at once that it is"
                        + " suspect; verdicts held (" + event.cause() + ")"
                        : ": verdicts resume"));
        }
        context.forward(new Record<>(event.task(), event, event.at().toEpochMilli()), NodeStateTopology.DETECTOR_SINK);
    }

    private void apply(String nodeId, NodeState before, Outcome outcome) {
        apply(nodeId, before, outcome, true);
    }

    private void apply(String nodeId, NodeState before, Outcome outcome, boolean logTransitions) {
        if (!outcome.stateChanged()) {
            return;
        }
        NodeState after = withFairDeadline(outcome.next());
        reindex(nodeId, before, after);
        reindexFlapping(nodeId, before, after);
        if (after == null) {
            nodes.delete(nodeId);
        } else {
            nodes.put(nodeId, after);
        }
        long timestamp = context.currentSystemTimeMs();
        context.forward(new Record<>(nodeId, after, timestamp), NodeStateTopology.NODE_STATE_SINK);
        for (StateChange change : outcome.changes()) {
            context.forward(new Record<>(nodeId, change, timestamp), NodeStateTopology.CHANGES_SINK);
            LOG.log(logTransitions ? Level.INFO : Level.FINE, () -> transitionLine(change, before));
        }
    }

    private void reindexFlapping(String nodeId, NodeState before, NodeState after) {
        flappingUntil.move(nodeId, machine.flappingSettlesAt(before), machine.flappingSettlesAt(after));
    }

    /** A deadline computed now must still not judge silence that overlapped the latest input outage. */
    private NodeState withFairDeadline(NodeState after) {
        if (after == null || after.state() != NodeStatus.ONLINE) {
            return after;
        }
        return machine.deferred(after, policy.fairDeadline(after.deadline())).next();
    }

    private void reindex(String nodeId, NodeState before, NodeState after) {
        deadlines.move(nodeId, before == null ? null : before.deadline(), after == null ? null : after.deadline());
    }

    /** Both indexes again from the node store: at every init, a new task or one started over. */
    private void rebuildDeadlineIndex() {
        deadlines.clear();
        flappingUntil.clear();
        try (KeyValueIterator<String, NodeState> all = nodes.all()) {
            while (all.hasNext()) {
                KeyValue<String, NodeState> entry = all.next();
                NodeState state = entry.value;
                if (state.state() == NodeStatus.ONLINE && state.deadline() != null) {
                    deadlines.move(entry.key, null, state.deadline());
                }
                reindexFlapping(entry.key, null, state);
            }
        }
    }

    private boolean isFromRegistry() {
        return context.recordMetadata().map(meta -> registryTopic.equals(meta.topic())).orElse(false);
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    /** One structured line per transition: node, from, to, reason, seq, and for timeouts the detection lag. */
    private String transitionLine(StateChange change, NodeState before) {
        String line = "transition node=" + change.nodeId() + " from=" + wire(change.from()) + " to=" + wire(change.to())
                + " reason=" + change.reason() + " seq=" + change.seq();
        if (change.reason() == Reason.TIMEOUT && before != null && before.deadline() != null) {
            line += " lag_ms=" + Duration.between(before.deadline(), change.at()).toMillis();
            if (machine.isDeferred(before)) {
                line += " deferred";
            }
        }
        return line;
    }

    private static String wire(NodeStatus status) {
        return status == null ? "none" : status.wireName();
    }
}
