package io.llmlb.health.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/** The faults, one at a time, each with the recovery that must complete before the next. */
final class Faults {

    /** Something done to the stack. */
    @FunctionalInterface
    interface Action {
        void run(ComposeStack stack) throws Exception;
    }

    /**
     * One fault.
     *
     * @param name short name (table rows, command line)
     * @param description what is done, for the report
     * @param inject the fault itself
     * @param recover what brings the stack back; returns once it is healthy
     */
    record Fault(String name, String description, Action inject, Action recover) {
    }

    private static final Duration HEALTHY_WITHIN = Duration.ofMinutes(5);
    /** Longer than the processors' 3 s session timeout, so the paused one loses its partitions. */
    static final Duration PAUSE_FOR = Duration.ofSeconds(10);
    /** How long a killed broker stays dead before it is started again. */
    static final Duration BROKER_DOWN_FOR = Duration.ofSeconds(20);
    /** How long a killed ingest, query-api or state-processor replica stays dead. */
    static final Duration REPLICA_DOWN_FOR = Duration.ofSeconds(10);

    private Faults() {
    }

    static List<Fault> all(String heartbeatsTopic) {
        String[] brokerKilled = new String[1];
        // Both broker kills end the same way: the broker stays dead for a while, then it is back
        // and every partition is fully replicated again.
        Action restartKilledBroker = stack -> {
            Thread.sleep(BROKER_DOWN_FOR.toMillis()); // the fault's length, by design
            startAndAwaitHealthy(stack, brokerKilled[0]);
            awaitFullIsr(stack, heartbeatsTopic);
        };
        return List.of(
                // Dead for as long as a killed ingest or query-api replica: a restart within the
                // session (docker's took 2-5 s on the loaded host) rejoins under the same static id
                // and aborts its own transaction, so an immediate one measured docker's restart
                // time as much as the surviving replica's takeover, which is the fault's subject.
                new Fault("processor-kill", "`docker kill` (SIGKILL) of state-processor-1, started again after "
                        + REPLICA_DOWN_FOR.toSeconds() + " s",
                        stack -> stack.docker("kill", stack.container("state-processor-1")),
                        stack -> {
                            Thread.sleep(REPLICA_DOWN_FOR.toMillis()); // the fault's length, by design
                            startAndAwaitHealthy(stack, "state-processor-1");
                        }),
                new Fault("broker-kill", "`docker kill` of the broker leading the most `llmlb.heartbeats` partitions, "
                        + "started again after " + BROKER_DOWN_FOR.toSeconds() + " s",
                        stack -> {
                            int controller = activeController(stack);
                            brokerKilled[0] = "kafka-" + busiestLeader(stack, heartbeatsTopic, controller);
                            // Whether it is also the active controller decides the length of the
                            // outage (a quorum election before any fencing), so the run says it.
                            System.out.println("\nbroker-kill: " + brokerKilled[0] + " (active controller: "
                                    + stack.kafkaService(controller) + ")");
                            stack.docker("kill", stack.container(brokerKilled[0]));
                        },
                        restartKilledBroker),
                // Not one of the faults: the KRaft quorum's leader. With the roles combined
                // it is also a broker, whose death needs an election before it can be fenced, so
                // it is the slowest broker to lose; measured so that the broker-kill figure is not
                // read as covering it. With dedicated controllers it is a controller alone.
                new Fault("controller-kill", "`docker kill` of the active KRaft controller (with the roles "
                        + "combined, a broker too), started again after " + BROKER_DOWN_FOR.toSeconds() + " s",
                        stack -> {
                            brokerKilled[0] = stack.kafkaService(activeController(stack));
                            System.out.println("\ncontroller-kill: " + brokerKilled[0]);
                            stack.docker("kill", stack.container(brokerKilled[0]));
                        },
                        restartKilledBroker),
                new Fault("ingest-kill", "`docker kill` of ingest-1, started again after "
                        + REPLICA_DOWN_FOR.toSeconds() + " s",
                        stack -> stack.docker("kill", stack.container("ingest-1")),
                        stack -> {
                            Thread.sleep(REPLICA_DOWN_FOR.toMillis()); // the fault's length, by design
                            startAndAwaitHealthy(stack, "ingest-1");
                        }),
                new Fault("query-api-kill", "`docker kill` of query-api-1, started again after "
                        + REPLICA_DOWN_FOR.toSeconds() + " s",
                        stack -> stack.docker("kill", stack.container("query-api-1")),
                        stack -> {
                            Thread.sleep(REPLICA_DOWN_FOR.toMillis()); // the fault's length, by design
                            startAndAwaitHealthy(stack, "query-api-1");
                        }),
                new Fault("processor-pause", "`docker pause` of state-processor-1 for " + PAUSE_FOR.toSeconds()
                        + " s (session timeout 3 s), then `docker unpause` (SIGSTOP and SIGCONT where the engine"
                        + " cannot freeze a container)",
                        stack -> freeze(stack, "state-processor-1"),
                        stack -> {
                            Thread.sleep(PAUSE_FOR.toMillis()); // the fault's length, by design
                            thaw(stack, "state-processor-1");
                            awaitHealthy(stack, "state-processor-1");
                        }),
                new Fault("broker-rolling-restart", "`docker restart` of kafka-1, kafka-2, kafka-3 one at a time, "
                        + "each after the previous is healthy and every partition is fully replicated again",
                        stack -> { },
                        stack -> {
                            for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
                                stack.docker("restart", "-t", "30", stack.container(broker));
                                awaitHealthy(stack, broker);
                                awaitFullIsr(stack, heartbeatsTopic);
                            }
                        }),
                new Fault("whole-stack-kill", "`docker-compose kill` of every container, then `docker-compose up -d` "
                        + "on the same volumes",
                        stack -> stack.compose("kill"),
                        stack -> {
                            stack.compose("up", "-d");
                            awaitReady(stack);
                        }));
    }

    /** The faults named in {@code names} (all when empty), in the order. */
    static List<Fault> select(String heartbeatsTopic, Collection<String> names) {
        List<Fault> chosen = new ArrayList<>();
        for (Fault fault : all(heartbeatsTopic)) {
            if (names.isEmpty() || names.contains(fault.name())) {
                chosen.add(fault);
            }
        }
        return chosen;
    }

    /** Whether the last freeze fell back to SIGSTOP (the engine's cgroup freezer is unavailable). */
    private static volatile boolean stoppedBySignal;

    /**
     * {@code docker pause}; where the engine cannot freeze cgroups ("OCI runtime pause failed:
     * unable to freeze", seen on this host) the container's processes get SIGSTOP instead, which
     * freezes the JVM the same way.
     */
    static void freeze(ComposeStack stack, String service) throws Exception {
        String container = stack.container(service);
        try {
            stack.docker("pause", container);
            stoppedBySignal = false;
        } catch (IllegalStateException cannotFreeze) {
            stack.docker("kill", "--signal", "STOP", container);
            stoppedBySignal = true;
        }
    }

    static void thaw(ComposeStack stack, String service) throws Exception {
        String container = stack.container(service);
        if (stoppedBySignal) {
            stack.docker("kill", "--signal", "CONT", container);
        } else {
            stack.docker("unpause", container);
        }
    }

    static void startAndAwaitHealthy(ComposeStack stack, String service) throws Exception {
        stack.docker("start", stack.container(service));
        awaitHealthy(stack, service);
    }

    static void awaitHealthy(ComposeStack stack, String service) throws Exception {
        String container = stack.container(service);
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (!"healthy".equals(stack.health(container))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service + " not healthy within " + HEALTHY_WITHIN);
            }
            Thread.sleep(500); // polling docker's health status with a deadline
        }
    }

    static void awaitReady(ComposeStack stack) throws InterruptedException {
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (!stack.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gateway not ready within " + HEALTHY_WITHIN);
            }
            Thread.sleep(500); // polling readiness with a deadline
        }
    }

    /**
     * The broker id that leads the most partitions of {@code topic}; of brokers that lead as many,
     * one that is not {@code controller}. Six partitions on three brokers are usually led two
     * each, and the lowest id then was often also the active controller, whose loss is a slower
     * fault of its own ({@code controller-kill}): the broker-kill figure measured whichever of the
     * two the tie gave.
     */
    static int busiestLeader(ComposeStack stack, String topic, int controller) throws Exception {
        Map<Integer, Integer> led = new TreeMap<>();
        for (TopicPartitionInfo partition : describe(stack, topic).partitions()) {
            if (partition.leader() != null) {
                led.merge(partition.leader().id(), 1, Integer::sum);
            }
        }
        return busiest(led, controller);
    }

    /** Of the brokers leading the most partitions ({@code led}: id to count), one other than {@code avoid} if any. */
    static int busiest(Map<Integer, Integer> led, int avoid) {
        int most = led.values().stream().max(Integer::compare).orElseThrow();
        List<Integer> tied = led.entrySet().stream().filter(e -> e.getValue() == most).map(Map.Entry::getKey).sorted().toList();
        return tied.stream().filter(id -> id != avoid).findFirst().orElse(tied.getFirst());
    }

    /** The node id of the KRaft quorum's leader, the active controller; -1 if it cannot be told. */
    static int activeController(ComposeStack stack) throws Exception {
        try (Admin admin = Admin.create(adminProperties(stack))) {
            return admin.describeMetadataQuorum().quorumInfo().get(15, TimeUnit.SECONDS).leaderId();
        }
    }

    static void awaitFullIsr(ComposeStack stack, String topic) throws Exception {
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        while (true) {
            try {
                if (describe(stack, topic).partitions().stream().allMatch(p -> p.isr().size() == p.replicas().size())) {
                    return;
                }
            } catch (Exception e) {
                // a broker is still starting; ask again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(topic + " not fully replicated within " + HEALTHY_WITHIN);
            }
            Thread.sleep(500); // polling the ISR with a deadline
        }
    }

    private static Properties adminProperties(ComposeStack stack) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return props;
    }

    private static TopicDescription describe(ComposeStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(adminProperties(stack))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic);
        }
    }
}
