package io.llmlb.health.kafka;

import io.llmlb.health.wire.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Settings an operator gives every Kafka client of a process (producers, consumers, admin
 * clients and Kafka Streams with its main, restore and global consumers): above all
 * {@code security.protocol}, {@code sasl.*} and {@code ssl.*}, which every managed Kafka requires.
 * They come from a client properties file named by {@code LLMLB_KAFKA_CONFIG} and from variables
 * {@code LLMLB_KAFKA_CLIENT_<NAME>} ({@code LLMLB_KAFKA_CLIENT_SASL_JAAS_CONFIG} is
 * {@code sasl.jaas.config}), the variables winning, so a secret can come from the environment
 * while the rest stays in a file.
 *
 * <p>Tools that open their own clients (bench, simulator, chaos) call {@link #fromEnv(Map)} and
 * {@link #applyTo(Map)}; services get them through {@link KafkaSettings#clientProperties(String)}.
 *
 * @param source where the settings came from, for the start-up log
 * @param properties Kafka client settings by name, validated
 */
public record KafkaClientConfig(String source, Map<String, String> properties) {

    /** Names the client properties file. */
    public static final String FILE_VARIABLE = "LLMLB_KAFKA_CONFIG";
    /** Prefix of variables that set one client property each. */
    public static final String ENV_PREFIX = "LLMLB_KAFKA_CLIENT_";

    /**
     * Settings the services choose themselves because correctness depends on them (durable
     * writes, exactly-once, committed reads, no shared groups): refused in the file, not ignored.
     */
    static final Set<String> RESERVED = Set.of(
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, CommonClientConfigs.CLIENT_ID_CONFIG);

    private static final Set<String> KNOWN = knownNames();
    private static final Set<String> PASSWORD_TYPED = passwordTypedNames();
    private static final String MASK = "******";

    public KafkaClientConfig {
        properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** No settings: plaintext to whatever bootstrap address is given (the embedded broker on loopback). */
    public static KafkaClientConfig none() {
        return new KafkaClientConfig("none", Map.of());
    }

    /**
     * Reads {@code LLMLB_KAFKA_CONFIG} and {@code LLMLB_KAFKA_CLIENT_*} from {@code env}.
     *
     * @throws ConfigException naming the variable when the file is missing or unreadable, or a
     *         setting is unknown, reserved or invalid
     */
    public static KafkaClientConfig fromEnv(Map<String, String> env) {
        Map<String, String> properties = new TreeMap<>();
        StringBuilder source = new StringBuilder();
        String file = env.get(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            properties.putAll(readFile(Path.of(file.trim())));
            source.append(FILE_VARIABLE).append('=').append(file.trim());
        }
        for (var entry : new TreeMap<>(env).entrySet()) {
            if (entry.getKey().startsWith(ENV_PREFIX) && entry.getKey().length() > ENV_PREFIX.length()) {
                String name = entry.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                check(entry.getKey(), name, entry.getValue());
                properties.put(name, entry.getValue());
                source.append(source.isEmpty() ? "" : " + ").append(entry.getKey());
            }
        }
        validateTogether(properties, source.isEmpty() ? FILE_VARIABLE : source.toString());
        return new KafkaClientConfig(source.isEmpty() ? "none" : source.toString(), properties);
    }

    private static Map<String, String> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(FILE_VARIABLE + "=" + file + ": no such file (a Kafka client properties file)");
        }
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            loaded.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(FILE_VARIABLE + "=" + file + ": cannot be read: " + e.getMessage());
        }
        Map<String, String> properties = new TreeMap<>();
        for (String name : loaded.stringPropertyNames()) {
            String value = loaded.getProperty(name).trim();
            check(FILE_VARIABLE + "=" + file, name, value);
            properties.put(name, value);
        }
        return properties;
    }

    private static void check(String origin, String name, String value) {
        if (RESERVED.contains(name)) {
            throw new ConfigException(origin + ": '" + name + "' is set by the services themselves and may not be overridden");
        }
        if (!KNOWN.contains(name)) {
            throw new ConfigException(origin + ": '" + name + "' is not a Kafka producer, consumer or admin client setting");
        }
        if (name.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
                && SecurityProtocol.names().stream().noneMatch(value::equalsIgnoreCase)) {
            throw new ConfigException(origin + ": security.protocol=" + value + " is not one of " + SecurityProtocol.names());
        }
    }

    private static void validateTogether(Map<String, String> properties, String origin) {
        for (String store : new String[] {SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG}) {
            String location = properties.get(store);
            if (location != null && !Files.isReadable(Path.of(location))) {
                throw new ConfigException(origin + ": " + store + "=" + location + " is not a readable file");
            }
        }
        String protocol = properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        if (protocol.toUpperCase(Locale.ROOT).startsWith("SASL") && !properties.containsKey("sasl.jaas.config")
                && System.getProperty("java.security.auth.login.config") == null) {
            throw new ConfigException(origin + ": security.protocol=" + protocol
                    + " needs sasl.jaas.config (the principal's credentials)");
        }
    }

    /** Puts every setting into {@code clientProperties} (the caller's own settings are put afterwards and win). */
    public void applyTo(Map<String, Object> clientProperties) {
        clientProperties.putAll(properties);
    }

    /** {@code bootstrap.servers} when the file names it. */
    public Optional<String> bootstrapServers() {
        return Optional.ofNullable(properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** The security protocol in use, PLAINTEXT unless set. */
    public String securityProtocol() {
        return properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT").toUpperCase(Locale.ROOT);
    }

    /** For the start-up log: protocol, source and every setting, secrets replaced by {@code ******}. */
    public String describe() {
        if (properties.isEmpty()) {
            return "security=PLAINTEXT";
        }
        return "security=" + securityProtocol() + " client-config=" + source + " " + properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? MASK : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** Whether the value of {@code name} is a secret: Kafka's PASSWORD-typed settings and anything that looks like one. */
    public static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return PASSWORD_TYPED.contains(name) || lower.contains("password") || lower.contains("secret")
                || lower.contains("jaas") || lower.contains("credential") || lower.contains("token")
                || lower.endsWith(".key");
    }

    @Override
    public String toString() {
        return "KafkaClientConfig[" + describe() + "]";
    }

    private static Set<String> knownNames() {
        Set<String> names = new HashSet<>();
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }

    private static Set<String> passwordTypedNames() {
        return Arrays.asList(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef()).stream()
                .flatMap(def -> def.configKeys().values().stream())
                .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                .map(key -> key.name)
                .collect(Collectors.toUnmodifiableSet());
    }
}
