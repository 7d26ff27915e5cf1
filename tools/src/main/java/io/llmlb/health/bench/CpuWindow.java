package io.llmlb.health.bench;

import java.time.Duration;

/**
 * CPU used during one phase of the bench, in cores: by the server, by the bench itself (the
 * load generator), and by everything else on the machine (other users' work included).
 *
 * @param server cores the standalone used
 * @param bench cores the bench JVM used
 * @param others cores everything else used
 * @param serverParts cores the standalone used, by part (thread names)
 */
record CpuWindow(double server, double bench, double others, java.util.Map<String, Double> serverParts) {

    /** A running measurement; {@link #stop()} gives the figures. */
    static final class Meter {
        private final ServerProcess server;
        private final long startNanos = System.nanoTime();
        private final Duration serverStart;
        private final Duration benchStart;
        private final long[] machineStart;
        private final java.util.Map<String, Long> partsStart;

        Meter(ServerProcess server) {
            this.server = server;
            this.serverStart = server.cpuTime();
            this.benchStart = ProcCpu.ofThisProcess();
            this.machineStart = ProcCpu.machine();
            this.partsStart = ProcCpu.ticksByPart(server.pid());
        }

        CpuWindow stop() {
            double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
            double serverCores = server.cpuTime().minus(serverStart).toMillis() / 1000.0 / wallSeconds;
            double benchCores = ProcCpu.ofThisProcess().minus(benchStart).toMillis() / 1000.0 / wallSeconds;
            long[] machineEnd = ProcCpu.machine();
            long totalTicks = machineEnd[1] - machineStart[1];
            double machineCores = totalTicks <= 0 ? 0
                    : (double) (machineEnd[0] - machineStart[0]) / totalTicks * ProcCpu.processors();
            java.util.Map<String, Double> parts = new java.util.TreeMap<>();
            ProcCpu.ticksByPart(server.pid()).forEach((part, ticks) ->
                    parts.put(part, (ticks - partsStart.getOrDefault(part, 0L)) / (double) ProcCpu.TICKS_PER_SECOND / wallSeconds));
            return new CpuWindow(serverCores, benchCores, Math.max(0, machineCores - serverCores - benchCores), parts);
        }
    }

    @Override
    public String toString() {
        return String.format("server %.2f, load generator %.2f, other processes %.2f cores", server, bench, others);
    }
}
