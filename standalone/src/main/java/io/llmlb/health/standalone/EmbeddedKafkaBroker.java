package io.llmlb.health.standalone;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one), run in this process
 * from the {@code kafka_2.13} artifacts, with its log on disk so it survives restarts. The storage
 * is formatted on first start only.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class.getName());
    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats {@code logDir} if new, then starts a broker listening on 127.0.0.1:{@code port}.
     * Plaintext, and only on loopback: the one case where Kafka may run without TLS and SASL, as
     * nothing off this machine can reach it.
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port) {
        return start(logDir, port, null);
    }

    /**
     * Like {@link #start(Path, int)}; with {@code security}, clients must use SASL_SSL
     * (SCRAM-SHA-512), every request is checked against ACLs, and the SCRAM users are created
     * when the storage is formatted.
     */
    public static EmbeddedKafkaBroker start(Path logDir, int port, BrokerSecurity security) {
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        // One broker: every internal topic has one replica, and transactions (exactly-once) need that said.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "3");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.cleaner.min.compaction.lag.ms", "0");
        if (security != null) {
            security.configure(props, port, controllerPort);
        }
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        formatIfNew(logDir, config, security == null ? List.of() : security.scramArguments());
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + port;
        LOG.info("embedded Kafka broker started on " + bootstrap + (security == null ? " (plaintext, loopback)" : " (SASL_SSL)")
                + ", data in " + logDir);
        return new EmbeddedKafkaBroker(server, bootstrap);
    }

    private static void formatIfNew(Path logDir, KafkaConfig config, List<String> scramArguments) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(logDir.toAbsolutePath().toString())
                    .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setScramArguments(scramArguments)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }

    /** Host and port for clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** A TCP port free at the time of asking. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
