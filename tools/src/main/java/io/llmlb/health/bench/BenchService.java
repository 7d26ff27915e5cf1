package io.llmlb.health.bench;

import io.llmlb.health.http.Meters;
import io.llmlb.health.processor.StateProcessorApp;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.query.QueryApiApp;
import io.llmlb.health.query.config.QueryApiConfig;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One service on its own in a child JVM, beside the bench's standalone and against its broker,
 * so its heap per node is its own: {@code query-api} (another replica: it follows every node) or
 * {@code state-processor} (another instance of the standalone's group: it judges the nodes of the
 * partitions it is given). No HTTP; answers {@code gc} and {@code stop} like {@link BenchServer},
 * with what it holds after the heap figures: {@code nodes=N} or {@code partitions=0,2 of=3}.
 */
public final class BenchService {

    static final String QUERY_API = "query-api";
    static final String STATE_PROCESSOR = "state-processor";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private BenchService() {
    }

    /** Arguments: the service, then node timeout and check interval in milliseconds (the standalone's). */
    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        switch (args[0]) {
            case QUERY_API -> {
                QueryApiApp app = QueryApiApp.start(QueryApiConfig.fromEnv(env));
                awaitReady(app::isReady);
                BenchServer.answerCommands(app, () -> "nodes=" + app.nodeView().size());
            }
            case STATE_PROCESSOR -> {
                StateProcessorConfig config = StateProcessorConfig.fromEnv(env).withTimings(
                        Duration.ofMillis(Long.parseLong(args[1])), Duration.ofMillis(Long.parseLong(args[2])));
                StateProcessorApp app = StateProcessorApp.start(config, Meters.newRegistry());
                awaitReady(() -> app.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
                BenchServer.answerCommands(app, () -> "partitions=" + app.activePartitions().stream()
                        .map(String::valueOf).collect(Collectors.joining(",")) + " of=" + config.kafka().partitions());
            }
            default -> throw new IllegalArgumentException("unknown service " + args[0]);
        }
    }

    private static void awaitReady(BooleanSupplier ready) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready after " + START_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(50); // polling our own component's state, with a deadline
        }
        System.out.println(BenchServer.READY + " port=0");
        System.out.flush();
    }
}
