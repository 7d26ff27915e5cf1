package io.llmlb.health.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** Writes docs/reliability.md (a table per fault, goals against figures) and its timeline plot. */
final class ReliabilityReport {

    static final String PLOT = "reliability.png";

    private final ChaosOptions options;
    private final List<FaultResult> results;
    private final List<Chaos.Sample> samples;

    private final Chaos.FinalCount finalCount;

    ReliabilityReport(ChaosOptions options, List<FaultResult> results, List<Chaos.Sample> samples,
                      Chaos.FinalCount finalCount) {
        this.options = options;
        this.results = results;
        this.samples = samples;
        this.finalCount = finalCount;
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        TimelinePlot.write(samples, results, options.nodes(), dir.resolve(PLOT));
        Path file = dir.resolve("reliability.md");
        Files.writeString(file, markdown());
        return file;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Reliability under faults\n\n");
        md.append(String.format(Locale.ROOT, "Measured by `./llmlb-health chaos%s` on %s against the compose stack "
                        + "(%s, replication 3, min ISR 2; 2 replicas of each service; nginx gateway): "
                        + "%,d nodes beating every %d s through the gateway, node timeout %d s, check interval %d s. "
                        + "Each fault runs alone and the stack recovers before the next. Just before each fault, "
                        + "5 %% of the fleet falls silent so that detection during the fault is measured too.\n\n",
                (options.quick() ? " --quick" : "") + (options.dedicatedControllers() ? " --dedicated-controllers" : ""),
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                options.dedicatedControllers() ? "3 Kafka brokers and 3 dedicated KRaft controllers"
                        : "3 KRaft brokers, each also a controller",
                options.nodes(),
                options.period().toSeconds(), options.nodeTimeout().toSeconds(), options.checkInterval().toSeconds()));
        md.append("Measures: **lost** = heartbeats answered 200 (since the start of the run) that the nodes' "
                + "counts on `llmlb.node-state` (read_committed) did not include when read after the fault, 0 meaning every 200 so far is counted; "
                + "**duplicates** = counts above what the nodes sent; **false offline** = timeout verdicts of nodes "
                + "that kept beating; **detection lag** = verdict time − (last_seen + timeout) of the silenced nodes; "
                + "**errors** = failed heartbeats seen by nodes (status or connection failure) and the longest "
                + "stretch one node saw nothing but errors; **longest wait for a 200** = the longest one node "
                + "waited from sending a heartbeat to its next 200, through errors and retries or one slow answer "
                + "(waits under 1 s are not kept); **seq anomalies** = gaps or repeats in a node's `seq` on "
                + "`llmlb.node-state-changes` (read_committed, through the brokers' loopback listeners); "
                + "**recovery** = from the injection until every node that saw errors had its 200 again and the "
                + "stack was healthy.\n\n");
        md.append("![nodes seen online and errors per second over the run](" + PLOT + ")\n\n");
        md.append("| fault | lost | duplicates | false offline | silenced judged | lag p50 / max | errors | longest error stretch | longest wait for a 200 | seq anomalies | recovery |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (FaultResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %d%s | %d | %d | %d/%d | %s | %d | %s | %s | %d | %s |\n",
                    r.name(), r.lost(), r.countsSettled() ? "" : "*", r.duplicates(), r.falseOffline(),
                    r.silencedJudged(), r.silenced(), p50AndMax(r.lagsMillis()), r.errorCount(), seconds(r.longestErrorMillis()),
                    seconds(r.longestWaitMillis()), r.seqAnomalies(), seconds(r.recoveryMillis())));
        }
        if (finalCount != null) {
            md.append(String.format(Locale.ROOT, "\nWhole run, counted after the fleet stopped and the counts %s: "
                    + "**%d lost, %d duplicates** (counts as the state-processor committed them to `llmlb.node-state`); "
                    + "the query-api, read through the gateway, then lacked %d of them a minute later.\n",
                    finalCount.settled() ? "settled" : "were still moving after 5 minutes",
                    finalCount.lost(), finalCount.duplicates(), finalCount.servedBehind()));
            if (!finalCount.shortNodes().isEmpty()) {
                md.append("\nNodes whose committed count stayed below their 200s (first ")
                        .append(finalCount.shortNodes().size()).append("): ")
                        .append(String.join("; ", finalCount.shortNodes())).append(".\n");
            }
        } else {
            md.append("\nThe run did not reach its final count (interrupted); the per-fault figures are all there is.\n");
        }
        goals(md);
        if (results.stream().anyMatch(r -> !r.countsSettled())) {
            md.append("\n\\* counts still moving when read (the fleet may pause only 12 s before it would time "
                    + "out itself): heartbeats not yet processed show as lost; the figure is an upper bound, the "
                    + "whole run's final count is exact.\n");
        }
        for (FaultResult r : results) {
            md.append("\n## ").append(r.name()).append("\n\n").append(r.description()).append(".\n\n");
            md.append("| measure | value |\n|---|---|\n");
            md.append("| heartbeats answered 200 but not counted (lost) | ").append(r.lost()).append(" |\n");
            md.append("| counted above what was sent (duplicates) | ").append(r.duplicates()).append(" |\n");
            md.append("| live nodes given a timeout (false offline) | ").append(r.falseOffline()).append(" |\n");
            md.append(String.format(Locale.ROOT, "| silenced nodes judged offline | %d of %d |\n",
                    r.silencedJudged(), r.silenced()));
            md.append("| detection lag of the silenced nodes, p50 / max | ").append(p50AndMax(r.lagsMillis())).append(" |\n");
            md.append(String.format(Locale.ROOT, "| the same, of the %d whose deadline came after the fault took effect | %s |\n",
                    r.lagsAfterInjectionMillis().size(), p50AndMax(r.lagsAfterInjectionMillis())));
            md.append("| failed heartbeats, by kind | ").append(r.errors().isEmpty() ? "none" : r.errors()).append(" |\n");
            md.append(String.format(Locale.ROOT, "| nodes that saw errors; longest stretch of errors for one node | %d; %s |\n",
                    r.nodesWithErrors(), seconds(r.longestErrorMillis())));
            md.append("| longest a node waited for a 200 (from a send, through errors or a slow answer) | ")
                    .append(seconds(r.longestWaitMillis())).append(" |\n");
            md.append("| gaps or repeats in `seq` | ").append(r.seqAnomalies()).append(" |\n");
            md.append("| time to full recovery | ").append(seconds(r.recoveryMillis())).append(" |\n");
        }
        return md.toString();
    }

    /** The goals against this run's figures. */
    private void goals(StringBuilder md) {
        md.append("\n| goal | measured | met |\n|---|---|---|\n");
        long lost = finalCount != null ? finalCount.lost() : results.stream().mapToLong(FaultResult::lost).sum();
        long duplicates = finalCount != null ? finalCount.duplicates()
                : results.stream().mapToLong(FaultResult::duplicates).sum();
        long falseOffline = results.stream().mapToLong(FaultResult::falseOffline).sum();
        md.append(goal("0 heartbeats answered 200 lost, every fault", lost + " lost", lost == 0));
        md.append(goal("0 duplicates counted", duplicates + " duplicates", duplicates == 0));
        md.append(goal("0 false offline verdicts", falseOffline + " false offline", falseOffline == 0));
        for (FaultResult r : results) {
            switch (r.name()) {
                case "processor-kill" -> md.append(r.silenced() == 0
                        ? "| a state-processor kill adds at most 5 s to detection lag | not measured: no node was "
                                + "silenced (a fleet of one keeps beating) | – |\n"
                        : r.lagsAfterInjectionMillis().isEmpty()
                        ? "| a state-processor kill adds at most 5 s to detection lag | not measured: every silenced "
                                + "node's deadline came before the kill landed | – |\n"
                        : goal("a state-processor kill adds at most 5 s to detection lag",
                        "lag max " + seconds(r.lagAfterInjectionPercentile(1.0)) + " over the "
                                + r.lagsAfterInjectionMillis().size() + " silenced nodes whose deadline came after the "
                                + "kill (no fault: about check interval + tick, 1–2 s)",
                        r.lagAfterInjectionPercentile(1.0) <= 7_000));
                case "broker-kill" -> md.append(acknowledgedWithin5s(
                        "a broker kill: heartbeats acknowledged again within 5 s", r));
                case "controller-kill" -> md.append(acknowledgedWithin5s(options.dedicatedControllers()
                        ? "the same for the active controller, a controller alone (not in the issue's list)"
                        : "the same for the broker that is the active controller (not in the issue's list)", r));
                case "ingest-kill", "query-api-kill" -> md.append(goal((r.name().startsWith("ingest") ? "an " : "a ") + r.name().replace("-kill", "")
                                + " replica kill: nodes see errors for at most 2 s",
                        "longest stretch " + seconds(r.longestErrorMillis()) + ", " + r.errorCount() + " errors",
                        r.longestErrorMillis() <= 2_000));
                default -> { }
            }
        }
    }

    /**
     * Acknowledged again: a heartbeat held unanswered for 10 s is as bad as 10 s of errors, so the
     * measure is the longest wait from a send to the next 200.
     */
    private static String acknowledgedWithin5s(String goal, FaultResult r) {
        return goal(goal, "longest wait for a 200 " + seconds(r.longestWaitMillis()) + " (errors: longest stretch "
                + seconds(r.longestErrorMillis()) + ")", r.longestWaitMillis() <= 5_000 && r.longestErrorMillis() <= 5_000);
    }

    private static String goal(String goal, String measured, boolean met) {
        return "| " + goal + " | " + measured + " | " + (met ? "yes" : "**no**") + " |\n";
    }

    /** p50 / max of some lags, "-" when there are none. */
    private static String p50AndMax(List<Long> lagsMillis) {
        if (lagsMillis.isEmpty()) {
            return "-";
        }
        return seconds(FaultResult.percentile(lagsMillis, 0.5)) + " / " + seconds(FaultResult.percentile(lagsMillis, 1.0));
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
