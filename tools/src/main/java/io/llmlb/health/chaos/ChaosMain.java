package io.llmlb.health.chaos;

import io.llmlb.health.wire.ConfigException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./llmlb-health chaos [--quick]}: starts the compose stack (or uses the one running under
 * the same project and ports), drives a fleet through its gateway, injects the faults one
 * at a time and writes docs/reliability.md with a plot.
 */
public final class ChaosMain {

    private ChaosMain() {
    }

    public static void main(String[] args) throws Exception {
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(args);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (!ComposeStack.dockerAvailable()) {
            System.err.println("chaos needs a Docker engine (docker info failed); see shared DOCKER.md to start one");
            System.exit(1);
        }
        Outcome outcome = run(options, Path.of("").toAbsolutePath());
        System.exit(outcome.results().isEmpty() ? 1 : 0);
    }

    /** The per-fault results and the whole run's exact count. */
    record Outcome(List<FaultResult> results, Chaos.FinalCount total) {
    }

    /** Runs the chaos scenario from the repository at {@code root}. */
    static Outcome run(ChaosOptions options, Path root) throws Exception {
        ComposeStack stack = new ComposeStack(root, options.project(), options.gatewayPort(), options.kafkaPorts(),
                options.prometheusPort(), options.nodeTimeout(), options.checkInterval(), options.nodes(),
                options.dedicatedControllers());
        boolean startedHere = !stack.isReady();
        if (startedHere) {
            System.out.println("starting the compose stack (project " + options.project() + ", gateway 127.0.0.1:"
                    + options.gatewayPort() + ") through the offline image kit...");
            stack.up();
            Faults.awaitReady(stack);
        } else {
            System.out.println("using the running compose stack at " + stack.gateway());
        }
        try {
            Chaos[] chaos = new Chaos[1];
            chaos[0] = new Chaos(options, stack, System.out, soFar ->
                    new ReliabilityReport(options, soFar, chaos[0].samples(), null).write(root.resolve(options.report())));
            List<FaultResult> results = chaos[0].run(Faults.select(options.topicPrefix() + "heartbeats", options.faults()));
            Chaos.FinalCount total = chaos[0].finalCount();
            Path report = new ReliabilityReport(options, results, chaos[0].samples(), total)
                    .write(root.resolve(options.report()));
            System.out.println("whole run: lost " + total.lost() + ", duplicates " + total.duplicates()
                    + (total.settled() ? "" : " (counts still moving)") + "; wrote " + report);
            return new Outcome(results, total);
        } finally {
            if (startedHere && !options.keep()) {
                stack.compose("down", "-v");
            }
        }
    }
}
