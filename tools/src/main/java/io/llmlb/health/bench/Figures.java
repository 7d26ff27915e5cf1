package io.llmlb.health.bench;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/** Everything one bench run measured, for the report and the plot. */
final class Figures {

    /**
     * Detection lag of one scenario, in milliseconds, sorted.
     *
     * @param nodes fleet size
     * @param checkInterval the detector's check interval
     * @param fleetPeriod the fleet's heartbeat period
     * @param nodeTimeout the detector's timeout
     * @param decided {@code at - (last_seen + timeout)} of each silenced node
     * @param visible the same, to when the bench's read_committed consumer saw the change
     * @param silenced how many nodes were silenced
     * @param falseTimeouts timeouts of nodes that kept beating
     * @param cpu who used the CPU during the scenario
     */
    record Lag(int nodes, Duration checkInterval, Duration fleetPeriod, Duration nodeTimeout, long[] decided,
               long[] visible, int silenced, int falseTimeouts, CpuWindow cpu) {
    }

    /**
     * Memory of the standalone with {@code nodes} tracked.
     *
     * @param server which server of the run
     * @param nodes fleet size
     * @param heapBytes heap in use after a full GC
     * @param committedHeapBytes heap the JVM has taken from the OS (part of the RSS)
     * @param residentBytes RSS of the process
     * @param classBytes live bytes per class (jcmd GC.class_histogram)
     */
    record Memory(String server, int nodes, long heapBytes, long committedHeapBytes, long residentBytes,
                  java.util.Map<String, Long> classBytes) {
    }

    /**
     * Heap of one service alone in its own JVM ({@link BenchService}), from an empty fleet to a full one.
     *
     * @param service {@code query-api} or {@code state-processor}
     * @param fleet the fleet's size
     * @param nodesHeld nodes the service holds: the whole fleet for a query-api, the nodes of its
     *        partitions for a state-processor instance
     * @param heapBefore heap after a full GC with no nodes
     * @param heapAfter heap after a full GC with the fleet
     * @param classGrowth growth of live bytes per class between the two
     */
    record ServiceMemory(String service, int fleet, long nodesHeld, long heapBefore, long heapAfter,
                         java.util.Map<String, Long> classGrowth) {

        long bytesPerNode() {
            return nodesHeld == 0 ? 0 : (heapAfter - heapBefore) / nodesHeld;
        }
    }

    /**
     * Latency of {@code GET /v0/nodes}, milliseconds, sorted.
     *
     * @param nodes fleet size
     * @param request the path and query asked for ({@code /v0/nodes}, {@code /v0/nodes?limit=500}, {@code /metrics})
     * @param millis each request
     * @param bodyBytes size of the answer
     */
    record Listing(int nodes, String request, long[] millis, long bodyBytes) {
    }

    /**
     * Back online: heartbeat sent until {@code GET /v0/nodes/{id}} says online, milliseconds, sorted.
     *
     * @param nodes fleet size
     * @param millis each node
     */
    record BackOnline(int nodes, long[] millis) {
    }

    /**
     * Heartbeat latency without and with a login flood.
     *
     * @param nodes fleet size
     * @param heartbeatRate heartbeats per second over HTTP, both times
     * @param attackers threads sending failed logins back to back
     * @param quiet heartbeats with nobody logging in
     * @param flooded heartbeats during the flood
     * @param loginsPerSecond login attempts answered per second during the flood
     * @param loginAnswers how the logins were answered, by status (-1: I/O error)
     */
    record LoginFlood(int nodes, int heartbeatRate, int attackers, HttpLoad.Result quiet, HttpLoad.Result flooded,
                      double loginsPerSecond, java.util.Map<Integer, Long> loginAnswers) {
    }

    boolean quick;
    String command;
    ZonedDateTime startedAt;
    Duration took;
    Machine machine;
    java.util.List<ServerPlan> plans;
    double silencedShare;
    int closedLoopClients;
    HttpLoad.Result ingest;
    HttpLoad.Result bareHttp;
    int openLoopRate;
    int openLoopNodes;
    HttpLoad.Result openLoop;
    int openLoopFalseTimeouts;
    final List<Memory> memory = new ArrayList<>();
    final List<ServiceMemory> servicesAlone = new ArrayList<>();
    final List<Lag> lags = new ArrayList<>();
    final List<Listing> listings = new ArrayList<>();
    BackOnline backOnline;
    LoginFlood loginFlood;
    long fleetBehindMillis;
    long detectorEvents;
    final List<String> notes = new ArrayList<>();
}
