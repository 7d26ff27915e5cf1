package io.llmlb.health.chaos;

import io.llmlb.health.simulator.AdminClient;
import io.llmlb.health.simulator.ProgressLine;
import io.llmlb.health.wire.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One chaos run: the fleet beats through the gateway while the faults are injected one at a
 * time. Before each fault 5 % of the fleet falls silent, so that detection during the fault is
 * measured too; after the stack recovered, the silenced nodes beat again, the fleet pauses for a
 * moment and the counts are compared with the ledger.
 */
final class Chaos {

    /**
     * The fault is issued this long before the earliest deadline of the silenced nodes, as their
     * acknowledged heartbeats set it (the last 200 + the node timeout): the docker CLI took 2-4 s
     * to carry a kill out on this host (up to 10 s at load 30), so the deadlines fall from just
     * after the fault took effect to a period later, while the stack is down or recovering.
     *
     * <p>Counted from the ledger, not from the moment of the silence: a fixed 15 s lead assumed the
     * silenced nodes had beaten within the last period, but the fleet pauses to read settled counts
     * before each fault, and a 2,000-node fleet can fall behind its schedule; in such runs every
     * silenced deadline came before the fault landed and the fault's lag figure measured nothing.
     */
    private static final Duration FAULT_BEFORE_FIRST_DEADLINE = Duration.ofSeconds(5);
    /** At least this long between the silence and the fault, so heartbeats in flight are answered. */
    private static final Duration SILENCE_SETTLES = Duration.ofSeconds(3);
    private static final Duration SETTLE_WITHIN = Duration.ofSeconds(12);

    /**
     * Lost and duplicate heartbeats over the whole run, read from {@code llmlb.node-state} after the
     * fleet stopped and the counts settled; {@code servedBehind}: heartbeats committed there that
     * the query-api, read through the gateway, still did not show a minute later.
     */
    record FinalCount(long lost, long duplicates, boolean settled, long servedBehind, List<String> shortNodes) {
    }

    /** How many nodes with a shortfall the report names, as evidence for whoever looks into it. */
    private static final int SHORT_NODES_SHOWN = 10;

    private static final Duration SERVED_CATCH_UP = Duration.ofMinutes(1);

    private static final Duration FINAL_SETTLE_WITHIN = Duration.ofMinutes(5);
    private volatile FinalCount finalCount;

    /** A point of the timeline plot. */
    record Sample(long atMillis, int online, long errors) {
    }

    private final ChaosOptions options;
    private final ComposeStack stack;
    private final ProgressLine line;
    private final List<Sample> samples = new ArrayList<>();
    private volatile String phase = "starting";
    private ChaosFleet fleet;
    private ChangeFollower changes;
    private PublishedCounts published;
    private AdminClient admin;
    private long cumulativeLost;
    private List<String> lastShortNodes = List.of();
    private long cumulativeDuplicates;

    /** Called after each fault with the results so far, so an interrupted run still leaves a report. */
    @FunctionalInterface
    interface Progress {
        void faultDone(List<FaultResult> resultsSoFar) throws Exception;
    }

    private final Progress progress;

    Chaos(ChaosOptions options, ComposeStack stack, PrintStream out, Progress progress) {
        this.options = options;
        this.stack = stack;
        this.line = new ProgressLine(out);
        this.progress = progress;
    }

    /** Runs every selected fault and returns the results, in order. */
    List<FaultResult> run(List<Faults.Fault> faults) throws Exception {
        String prefix = "chaos-" + Long.toString(System.currentTimeMillis() / 1000, 36) + "-";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < options.nodes(); i++) {
            ids.add(String.format("%s%04d", prefix, i));
        }
        admin = new AdminClient(stack.gateway()).login(options.adminUser(), options.adminPassword());
        changes = new ChangeFollower(stack.kafkaBootstrap(), options.topicPrefix() + "node-state-changes", prefix);
        published = new PublishedCounts(stack.kafkaBootstrap(), options.topicPrefix() + "node-state", prefix);
        fleet = new ChaosFleet(stack.gateway(), ids, options.period());
        Thread display = Thread.ofPlatform().daemon().name("chaos-progress").start(this::showProgress);
        try {
            phase = "registering " + options.nodes() + " nodes";
            fleet.start();
            fleet.registerAndApprove(admin);
            phase = "fleet coming online";
            awaitCondition(Duration.ofMinutes(3), () -> changes.online() == options.nodes());
            settleCounts();
            List<FaultResult> results = new ArrayList<>();
            for (int i = 0; i < faults.size(); i++) {
                results.add(runFault(faults.get(i), i + 1, faults.size()));
                line.message(summaryLine(results.getLast()));
                progress.faultDone(List.copyOf(results));
            }
            // The run is over: the fleet stops for good, so the counts may take as long as they
            // need to settle; this is the exact figure, the per-fault ones are read in 12 s pauses.
            phase = "final count";
            fleet.pause();
            boolean settled = settleCounts(FINAL_SETTLE_WITHIN, false);
            phase = "final count: comparing what the query-api serves";
            finalCount = new FinalCount(cumulativeLost, cumulativeDuplicates, settled, servedBehind(), lastShortNodes);
            return results;
        } finally {
            display.interrupt();
            line.finish();
            fleet.close();
            changes.close();
            published.close();
        }
    }

    /**
     * Heartbeats the processor committed that the gateway's answers still lack after
     * {@link #SERVED_CATCH_UP}: each read may land on another query-api replica, so the figure is
     * the worst answer of the last read round.
     */
    private long servedBehind() throws InterruptedException {
        Map<String, Long> committed = published.snapshot();
        long deadline = System.nanoTime() + SERVED_CATCH_UP.toNanos();
        long behind;
        do {
            Map<String, Long> served = servedCounts();
            behind = 0;
            for (Map.Entry<String, Long> entry : committed.entrySet()) {
                behind += Math.max(0, entry.getValue() - served.getOrDefault(entry.getKey(), 0L));
            }
            if (behind == 0) {
                // Twice in a row, so both replicas behind the gateway have answered.
                Map<String, Long> again = servedCounts();
                for (Map.Entry<String, Long> entry : committed.entrySet()) {
                    behind += Math.max(0, entry.getValue() - again.getOrDefault(entry.getKey(), 0L));
                }
                if (behind == 0) {
                    return 0;
                }
            }
            Thread.sleep(1_000); // polling the API with a deadline
        } while (System.nanoTime() < deadline);
        return behind;
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /**
     * 5 % of the fleet, at least one node, and never the whole fleet: a fleet of one keeps beating,
     * so its run measures what a fault does to a live node (false offline) rather than to a silent one.
     */
    static int silencedPerFault(int fleetSize) {
        return Math.min(fleetSize - 1, Math.max(1, (int) Math.round(fleetSize * 0.05)));
    }

    private FaultResult runFault(Faults.Fault fault, int number, int of) throws Exception {
        String label = "fault " + number + "/" + of + " " + fault.name();
        long windowStart = System.currentTimeMillis();
        List<Integer> silenced = fleet.silence(silencedPerFault(options.nodes()));
        Set<String> silencedIds = new HashSet<>();
        silenced.forEach(node -> silencedIds.add(fleet.nodeId(node)));
        phase = label + ": " + silenced.size() + " nodes silenced";
        Thread.sleep(SILENCE_SETTLES.toMillis()); // the silence's head start, by design
        long faultAt = faultTime(silenced);
        Thread.sleep(Math.max(0, faultAt - System.currentTimeMillis())); // until the fault is due, by design

        phase = label + ": injected";
        long injectedAt = System.currentTimeMillis();
        fault.inject().run(stack);
        // The docker command returns once the engine has carried it out, which on a loaded host is
        // seconds after it was issued (up to 10 s seen): a deadline in between says nothing about
        // the fault, so the fault's own lag figure counts deadlines from here.
        long tookEffectAt = System.currentTimeMillis();
        System.out.printf(Locale.ROOT, "%n%s: took effect %.1f s after it was issued%n", fault.name(),
                (tookEffectAt - injectedAt) / 1000.0);
        phase = label + ": recovering";
        fault.recover().run(stack);
        long recoveredAt = System.currentTimeMillis();

        phase = label + ": waiting for the silenced nodes' verdicts";
        Duration verdictPatience = options.nodeTimeout().multipliedBy(2).plusSeconds(30);
        awaitCondition(verdictPatience, () -> silencedIds.stream().noneMatch(changes::isOnline));
        fleet.resume(silenced);
        phase = label + ": silenced nodes back";
        awaitCondition(Duration.ofMinutes(2), () -> changes.online() == options.nodes());
        awaitCondition(Duration.ofMinutes(1), () -> fleet.ledger().nodesInError() == 0);
        phase = label + ": reading counts";
        boolean settled = settleCounts();
        long windowEnd = System.currentTimeMillis();

        Ledger ledger = fleet.ledger();
        List<Ledger.ErrorStreak> streaks = ledger.streaksBetween(injectedAt - 1_000, windowEnd);
        long lastStreakEnd = streaks.stream().mapToLong(Ledger.ErrorStreak::endMillis).max().orElse(0);
        List<Long> lags = new ArrayList<>();
        List<Long> lagsAfterInjection = new ArrayList<>();
        long falseOffline = 0;
        Set<String> judged = new HashSet<>();
        for (ChangeFollower.Verdict verdict : changes.verdictsBetween(windowStart, windowEnd)) {
            if (silencedIds.contains(verdict.nodeId())) {
                judged.add(verdict.nodeId());
                long deadline = verdict.lastSeenMillis() + options.nodeTimeout().toMillis();
                lags.add(verdict.atMillis() - deadline);
                if (deadline >= tookEffectAt) {
                    lagsAfterInjection.add(verdict.atMillis() - deadline);
                }
            } else {
                falseOffline++;
            }
        }
        // Outstanding over the whole run so far, not a difference: a count that was behind at the
        // previous fault and caught up since must not show as a negative loss here.
        return new FaultResult(fault.name(), fault.description(), cumulativeLost, cumulativeDuplicates, settled, falseOffline, silenced.size(), judged.size(), lags, lagsAfterInjection,
                ledger.failuresBetween(windowStart, windowEnd),
                streaks.stream().mapToLong(Ledger.ErrorStreak::millis).max().orElse(0),
                ledger.waitsEndingBetween(injectedAt, windowEnd).stream().mapToLong(Ledger.Wait::millis).max().orElse(0),
                (int) streaks.stream().map(Ledger.ErrorStreak::node).distinct().count(),
                changes.anomaliesBetween(windowStart, windowEnd).size(),
                Math.max(lastStreakEnd, recoveredAt) - injectedAt, injectedAt);
    }

    /** When to issue the fault: {@link #FAULT_BEFORE_FIRST_DEADLINE} before the silenced nodes' earliest deadline. */
    private long faultTime(List<Integer> silenced) {
        long earliestLast200 = silenced.stream().mapToLong(fleet.ledger()::last200At).filter(at -> at > 0).min()
                .orElse(System.currentTimeMillis());
        return earliestLast200 + options.nodeTimeout().minus(FAULT_BEFORE_FIRST_DEADLINE).toMillis();
    }

    /**
     * Pauses the fleet and reads every node's count until none moves and none is below its 200s
     * (or {@link #SETTLE_WITHIN} passed: a paused node must not reach its own timeout), then
     * updates the cumulative lost and duplicate figures. Returns whether the counts settled.
     */
    private boolean settleCounts() throws InterruptedException {
        return settleCounts(SETTLE_WITHIN, true);
    }

    private boolean settleCounts(Duration within, boolean resume) throws InterruptedException {
        fleet.pause();
        try {
            long deadline = System.nanoTime() + within.toNanos();
            Map<String, Long> previous = Map.of();
            while (true) {
                Map<String, Long> counts = published.snapshot();
                boolean stable = counts.equals(previous) && !counts.isEmpty();
                boolean complete = true;
                for (int node = 0; node < fleet.size(); node++) {
                    if (counts.getOrDefault(fleet.nodeId(node), 0L) < fleet.ledger().answered200(node)) {
                        complete = false;
                    }
                }
                if ((stable && complete) || System.nanoTime() > deadline) {
                    long lost = 0;
                    List<String> shortNodes = new ArrayList<>();
                    long duplicates = 0;
                    for (int node = 0; node < fleet.size(); node++) {
                        long counted = counts.getOrDefault(fleet.nodeId(node), 0L);
                        long shortfall = fleet.ledger().answered200(node) - counted;
                        lost += Math.max(0, shortfall);
                        if (shortfall > 0 && shortNodes.size() < SHORT_NODES_SHOWN) {
                            shortNodes.add(fleet.nodeId(node) + " (answered 200: " + fleet.ledger().answered200(node)
                                    + ", sent: " + fleet.ledger().sentTo(node) + ", committed count: " + counted + ")");
                        }
                        duplicates += Math.max(0, counted - fleet.ledger().sentTo(node));
                    }
                    cumulativeLost = lost;
                    lastShortNodes = List.copyOf(shortNodes);
                    cumulativeDuplicates = duplicates;
                    return stable && complete;
                }
                previous = counts;
                Thread.sleep(1_000); // polling the API with a deadline
            }
        } finally {
            if (resume) {
                fleet.unpause();
            }
        }
    }

    /** The whole run's exact lost and duplicate figures, once {@link #run} returned. */
    FinalCount finalCount() {
        return finalCount;
    }

    /** Every node's count as the gateway serves it (from whichever query-api replica answers). */
    private Map<String, Long> servedCounts() {
        Map<String, Long> counts = new HashMap<>();
        try {
            HttpResponse<String> answer = admin.get("/v0/nodes");
            if (answer.statusCode() == 401) {
                admin.login(options.adminUser(), options.adminPassword());
                answer = admin.get("/v0/nodes");
            }
            if (answer.statusCode() != 200) {
                return counts;
            }
            for (JsonNode node : Json.MAPPER.readTree(answer.body()).get("nodes")) {
                counts.put(node.get("id").asText(), node.get("heartbeats").asLong());
            }
        } catch (Exception e) {
            // the API is recovering; the caller asks again
        }
        return counts;
    }

    private void showProgress() {
        long started = System.currentTimeMillis();
        long second = started / 1000;
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.currentTimeMillis();
            if (fleet != null && changes != null) {
                Ledger ledger = fleet.ledger();
                long errors = ledger.errorsInSecond(second - 1);
                synchronized (samples) {
                    samples.add(new Sample(now, changes.online(), errors));
                }
                long elapsed = (now - started) / 1000;
                line.show(String.format("[%02d:%02d] %s | sent %,d  200 %,d  errors %,d | online %,d/%,d"
                        + " | timeouts %d | lost so far %d",
                        elapsed / 60, elapsed % 60, phase, ledger.totalSent(), ledger.total200(),
                        ledger.totalFailures(), changes.online(), options.nodes(), changes.totalVerdicts(),
                        cumulativeLost));
            }
            second++;
            try {
                Thread.sleep(Math.max(1, second * 1000 - System.currentTimeMillis())); // one line per second
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String summaryLine(FaultResult result) {
        return String.format("%-22s lost %d  duplicates %d  false offline %d  silenced judged %d/%d (lag p50 %s)"
                        + "  errors %d (longest %.1f s)  longest wait for a 200 %.1f s  seq anomalies %d  recovered in %.1f s",
                result.name(), result.lost(), result.duplicates(), result.falseOffline(), result.silencedJudged(),
                result.silenced(), result.lagPercentile(0.5) < 0 ? "-" : String.format("%.1f s", result.lagPercentile(0.5) / 1000.0),
                result.errorCount(), result.longestErrorMillis() / 1000.0, result.longestWaitMillis() / 1000.0,
                result.seqAnomalies(),
                result.recoveryMillis() / 1000.0);
    }

    /** A condition of the run. */
    @FunctionalInterface
    private interface Condition {
        boolean holds();
    }

    /** Waits until {@code condition} holds or {@code patience} passed; the run goes on either way. */
    private static void awaitCondition(Duration patience, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.holds() && System.nanoTime() < deadline) {
            Thread.sleep(250); // polling with a deadline
        }
    }
}
