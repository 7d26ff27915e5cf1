package io.llmlb.health.agent;

import io.llmlb.health.wire.ConfigException;

/**
 * {@code ./llmlb-health agent}: the heartbeat sender of a real node, configured by the seed's
 * node-side environment ({@code LLMLB_URL}, {@code XLLM_TOKEN}, {@code XLLM_HEARTBEAT_SECS}); runs
 * until SIGTERM or Ctrl-C. See docs/agent.md.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // Run as plain `java -cp ...` on a node: one line per message, like ./llmlb-health's logging config.
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz %4$-7s %5$s%6$s%n");
        }
        if (args.length > 0) {
            System.err.println("./llmlb-health agent takes no arguments; it is configured by the environment"
                    + " (LLMLB_URL, XLLM_TOKEN, XLLM_HEARTBEAT_SECS, XLLM_NODE_ID, ...): see docs/agent.md");
            System.exit(2);
        }
        HeartbeatAgent agent;
        try {
            agent = new HeartbeatAgent(AgentConfig.fromEnv(System.getenv()));
            agent.start();
        } catch (ConfigException | IllegalStateException | java.io.UncheckedIOException e) {
            System.err.println("agent configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "llmlb-agent-shutdown"));
        agent.awaitStopped();
        if (agent.failure().isPresent()) {
            // A permanent refusal: exit non-zero so a supervisor (systemd, a container) shows it.
            System.err.println("agent stopped: " + agent.failure().get());
            System.exit(1);
        }
    }
}
