package io.llmlb.health.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A downstream consumer of {@code llmlb.node-state-changes}, as the README shows it: prints a
 * line for every node that goes offline. It depends on kafka-clients and jackson-databind only;
 * {@code OfflineAlerterTest} runs it against the embedded broker, and {@code ReadmeExamplesTest}
 * checks that the README shows exactly the lines between the {@code README} markers.
 *
 * <pre>java -cp "examples/target/llmlb-health-examples.jar:standalone/target/lib/*" \
 *     io.llmlb.health.examples.OfflineAlerter 127.0.0.1:9092</pre>
 */
public final class OfflineAlerter {

    private OfflineAlerter() {
    }

    /** Follows the changes topic at {@code args[0]} (default 127.0.0.1:9092) until stopped. */
    public static void main(String[] args) throws IOException {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        follow(bootstrap, "my-alerter", System.out::println, () -> false);
    }

    /**
     * Calls {@code alert} with one line per node that went offline, until {@code stop} says so.
     * The group starts from the earliest change the first time and resumes where it left off.
     */
    public static void follow(String bootstrap, String group, Consumer<String> alert, BooleanSupplier stop)
            throws IOException {
        // README:start
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // The state-processor writes in transactions: never act on an aborted change.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ObjectMapper json = new ObjectMapper();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("llmlb.node-state-changes"));
            while (!stop.getAsBoolean()) {
                for (var record : consumer.poll(Duration.ofSeconds(1))) {
                    JsonNode change = json.readTree(record.value());
                    if ("offline".equals(change.path("to").asText())) {
                        alert.accept(record.key() + " went offline: " + change.path("reason").asText());
                    }
                }
            }
        }
        // README:end
    }
}
