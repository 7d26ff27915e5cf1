package io.llmlb.health.simulator;

import io.llmlb.health.wire.ConfigException;

/** {@code ./llmlb-health simulate --nodes N --interval S [--fail F] [--duration D]}. */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Simulator simulator = new Simulator(options, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::stop, "simulator-shutdown"));
        try {
            simulator.run();
        } catch (AdminClient.ApiFailure e) {
            System.out.println();
            System.err.println("simulate: " + e.getMessage());
            if (e.getMessage().contains("LLMLB_MAX_NODES")) {
                System.err.println("start the server with a larger LLMLB_MAX_NODES, e.g. LLMLB_MAX_NODES=200000");
            }
            System.exit(1);
        } catch (RuntimeException e) {
            System.out.println();
            System.err.println("simulate: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}
