package io.llmlb.health.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;

/**
 * A query-api and a state-processor, each alone in a child JVM ({@link BenchService}) against a
 * bench standalone's broker, started while its fleet is empty: their heap with no nodes, then with
 * the fleet, is each service's own heap per node. The query-api is one more replica (it follows
 * every node); the state-processor joins the standalone's group and judges the nodes of the
 * partitions it is given, counted here with Kafka's own partitioner.
 */
final class ServicesAlone implements AutoCloseable {

    private final List<ServerProcess> services = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Map<String, Long> heapBefore = new HashMap<>();
    private final Map<String, Map<String, Long>> classesBefore = new HashMap<>();
    private final Consumer<String> say;

    private ServicesAlone(Consumer<String> say) {
        this.say = say;
    }

    static ServicesAlone start(ServerProcess standalone, ServerPlan plan, Consumer<String> say)
            throws InterruptedException {
        ServicesAlone alone = new ServicesAlone(say);
        try {
            for (String service : List.of(BenchService.QUERY_API, BenchService.STATE_PROCESSOR)) {
                java.nio.file.Path dataDir = standalone.log().resolveSibling("alone-" + service);
                alone.services.add(ServerProcess.startService(dataDir, service, standalone, plan.nodeTimeout(),
                        plan.checkInterval()));
                alone.names.add(service);
            }
            for (int i = 0; i < alone.services.size(); i++) {
                ServerProcess process = alone.services.get(i);
                alone.classesBefore.put(alone.names.get(i), process.classHistogram());
                alone.heapBefore.put(alone.names.get(i), process.heapAfterGc()[0]);
                say.accept(String.format("%s alone in its own JVM, no nodes: heap %s after GC", alone.names.get(i),
                        Bench.mib(alone.heapBefore.get(alone.names.get(i)))));
            }
        } catch (RuntimeException | InterruptedException e) {
            alone.close();
            throw e;
        }
        return alone;
    }

    /** Each service's heap with a fleet of {@code nodes} (node ids {@link Fleet#nodeId} 0 to nodes - 1). */
    List<Figures.ServiceMemory> measure(int nodes) throws InterruptedException {
        List<Figures.ServiceMemory> measured = new ArrayList<>();
        for (int i = 0; i < services.size(); i++) {
            ServerProcess process = services.get(i);
            String name = names.get(i);
            Map<String, Long> classes = process.classHistogram();
            String answer = process.gcAnswer();
            long heap = ServerProcess.field(answer, "used=");
            long held = name.equals(BenchService.QUERY_API) ? ServerProcess.field(answer, "nodes=")
                    : nodesOfPartitions(answer, nodes);
            Map<String, Long> growth = new HashMap<>();
            Map<String, Long> before = classesBefore.get(name);
            classes.forEach((type, bytes) -> growth.put(type, bytes - before.getOrDefault(type, 0L)));
            Figures.ServiceMemory memory = new Figures.ServiceMemory(name, nodes, held, heapBefore.get(name), heap,
                    growth);
            measured.add(memory);
            say.accept(String.format("%s alone at %,d nodes (%,d held): heap %s after GC, %,d bytes per node held",
                    name, nodes, held, Bench.mib(heap), memory.bytesPerNode()));
        }
        return measured;
    }

    /** Nodes of the fleet keyed to the partitions a state-processor said it runs ({@code partitions=0,2 of=3}). */
    private static long nodesOfPartitions(String answer, int nodes) {
        String list = answer.substring(answer.indexOf("partitions=") + "partitions=".length()).split(" ")[0];
        int partitions = (int) ServerProcess.field(answer, "of=");
        Set<Integer> mine = list.isBlank() ? Set.of()
                : Arrays.stream(list.split(",")).map(Integer::parseInt).collect(Collectors.toSet());
        long held = 0;
        for (int node = 0; node < nodes; node++) {
            byte[] key = Fleet.nodeId(node).getBytes(StandardCharsets.UTF_8);
            if (mine.contains(Utils.toPositive(Utils.murmur2(key)) % partitions)) {
                held++;
            }
        }
        return held;
    }

    @Override
    public void close() throws InterruptedException {
        for (ServerProcess process : services) {
            process.close();
        }
    }
}
