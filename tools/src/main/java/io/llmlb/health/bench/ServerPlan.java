package io.llmlb.health.bench;

import java.time.Duration;
import java.util.List;

/**
 * One standalone of the bench run and what is measured on it.
 *
 * @param name short label in the report
 * @param checkInterval the detector's check interval
 * @param sizes fleet sizes measured in turn (the fleet grows)
 * @param memoryAndListing measure heap/RSS (from an empty server on) and {@code GET /v0/nodes}
 * @param ingestCeiling measure ingest against the bare-HTTP ceiling at the first size
 * @param backOnline measure back-online latency after the detection scenario at the last size
 * @param openLoop run the open-loop ingest at the last size
 * @param loginFlood measure heartbeat latency under a login flood at the first size
 * @param detection run the detection scenarios (every plan but the login-flood-only one)
 * @param servicesAlone also measure the heap per node of a query-api and a state-processor, each in a
 *        JVM of its own against this standalone's broker
 */
record ServerPlan(String name, Duration checkInterval, List<Integer> sizes, boolean memoryAndListing,
                  boolean ingestCeiling, boolean backOnline, boolean openLoop, boolean loginFlood, boolean detection,
                  boolean servicesAlone) {

    /**
     * The fleet's own heartbeat rate is kept at or below this. In a trial at 10,000/s (100,000 nodes
     * every 10 s, written straight to Kafka) the detector of the two-core bench machine fell behind,
     * every node looked silent and the mass-silence guard rightly held all verdicts: no lag to measure.
     */
    static final int MAX_FLEET_RATE = 2_000;

    /** Heartbeat period of the fleet: the seed's shortest (10 s) unless that exceeds {@link #MAX_FLEET_RATE}. */
    Duration fleetPeriod() {
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        return Duration.ofSeconds(Math.max(10, (largest + MAX_FLEET_RATE - 1) / MAX_FLEET_RATE));
    }

    /** The detector's timeout: two periods, as the seed's default 60 s is two of its 30 s heartbeats. */
    Duration nodeTimeout() {
        return fleetPeriod().multipliedBy(2);
    }

    /** Only the login-flood row ({@code ./llmlb-health bench --login-flood}): one server, 1,000 nodes. */
    static List<ServerPlan> loginFloodOnly() {
        return List.of(new ServerPlan("L", Duration.ofSeconds(1), List.of(1_000), false, false, false, false, true,
                false, false));
    }

    /**
     * The read side and the heartbeat CPU only ({@code ./llmlb-health bench --read-side}): memory,
     * listings and {@code /metrics} at 10,000 and 100,000 nodes, ingest vs bare HTTP at 10,000; no
     * detection scenarios, so it takes minutes rather than a quarter of an hour.
     */
    static List<ServerPlan> readSide() {
        Duration oneSecond = Duration.ofSeconds(1);
        return List.of(
                new ServerPlan("A", oneSecond, List.of(10_000), true, true, false, false, false, false, false),
                new ServerPlan("B", oneSecond, List.of(100_000), true, false, false, false, false, false, true));
    }

    /**
     * {@code ./llmlb-health bench --detection}: one server at {@code checkInterval} whose fleet grows
     * to 10,000, 50,000 and {@code nodes} (those below it), for the sweep time against fleet size;
     * the detection scenarios run at the last size. {@code wholeFleetOnly}: the fleet joins at
     * {@code nodes} at once (no sweep-time sizes), for repeated mass expiries alone.
     */
    static ServerPlan detectionSpeed(int nodes, Duration checkInterval, boolean wholeFleetOnly) {
        List<Integer> sizes = java.util.stream.Stream.of(10_000, 50_000).filter(size -> !wholeFleetOnly && size < nodes)
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        sizes.add(nodes);
        return new ServerPlan("S", checkInterval, List.copyOf(sizes), false, false, false, false, false, false, false);
    }

    /** The plans of a quick (two servers) or full (four servers) run. */
    static List<ServerPlan> of(boolean quick) {
        Duration oneSecond = Duration.ofSeconds(1);
        Duration tenSeconds = Duration.ofSeconds(10);
        if (quick) {
            return List.of(
                    new ServerPlan("A", oneSecond, List.of(1_000, 10_000), true, true, true, true, true, true, false),
                    new ServerPlan("B", tenSeconds, List.of(1_000, 10_000), false, false, false, false, false, true, false));
        }
        return List.of(
                new ServerPlan("A", oneSecond, List.of(1_000, 10_000), true, true, true, false, true, true, false),
                new ServerPlan("B", oneSecond, List.of(100_000), true, false, false, true, false, true, false),
                new ServerPlan("C", tenSeconds, List.of(1_000, 10_000), false, false, false, false, false, true, false),
                new ServerPlan("D", tenSeconds, List.of(100_000), false, false, false, false, false, true, false));
    }
}
