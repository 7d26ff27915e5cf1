package io.llmlb.health.http;

import io.helidon.webserver.http.HttpRouting;
import io.llmlb.health.http.server.GuardedServer;
import io.llmlb.health.http.server.ListenerWatch;
import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.http.server.StartupException;
import io.llmlb.health.kafka.BrokerProbe;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.wire.ConfigException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What every service's own main does the same way: read the configuration or exit with its
 * message, serve the service's routes with {@code /health/*} and {@code /metrics} beside them,
 * and stop in order on SIGTERM. {@link #startServer} is the one place a server is built, for the
 * services' mains and for the standalone alike.
 */
public final class ServiceLauncher {

    private static final Logger LOG = Logger.getLogger(ServiceLauncher.class.getName());

    private ServiceLauncher() {
    }

    /** The configuration {@code reader} builds, or exit status 2 with the reason on stderr. */
    public static <T> T configOrExit(Supplier<T> reader) {
        try {
            return reader.get();
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
    }

    /**
     * The HTTP server of a service, or of all of them in one process: {@code routes} with
     * {@code /health/*} (ready while {@code ready} holds) and {@code /metrics} of {@code meters}
     * beside them, on {@link GuardedServer} with {@code limits}.
     *
     * @throws StartupException when the port is in use
     */
    public static GuardedServer startServer(String host, int port, ServerLimits limits, BooleanSupplier ready,
                                            PrometheusMeterRegistry meters, Consumer<HttpRouting.Builder> routes,
                                            IntConsumer onListenerDeath) {
        return startServer(host, port, limits, ready, meters, DirectSeries.NONE, routes, onListenerDeath);
    }

    /** {@link #startServer} with {@code direct} series on {@code /metrics} ahead of the registry's meters. */
    public static GuardedServer startServer(String host, int port, ServerLimits limits, BooleanSupplier ready,
                                            PrometheusMeterRegistry meters, DirectSeries direct,
                                            Consumer<HttpRouting.Builder> routes, IntConsumer onListenerDeath) {
        return GuardedServer.start(host, port, "LLMLB_PORT", limits, routing -> {
            routing.register(new HealthService(ready), new MetricsService(meters, direct));
            routes.accept(routing);
        }, onListenerDeath);
    }

    /**
     * Serves {@code routes} on {@code host:port} with {@code limits} ({@link #startServer}), ready
     * while {@code ready} holds and the broker answers with {@code requiredTopics} (the topics the
     * service uses), until SIGTERM; then stops the server and {@code parts}, in that order, and
     * returns. A port in use or a listener that dies later ends the process with status 1.
     */
    public static void serveUntilStopped(String name, String host, int port, ServerLimits limits, KafkaSettings kafka,
                                         List<String> requiredTopics, BooleanSupplier ready,
                                         PrometheusMeterRegistry meters, Consumer<HttpRouting.Builder> routes,
                                         AutoCloseable... parts) throws InterruptedException {
        serveUntilStopped(name, host, port, limits, kafka, requiredTopics, ready, meters, DirectSeries.NONE, routes,
                parts);
    }

    /** {@link #serveUntilStopped} with {@code direct} series on {@code /metrics} ahead of the registry's meters. */
    public static void serveUntilStopped(String name, String host, int port, ServerLimits limits, KafkaSettings kafka,
                                         List<String> requiredTopics, BooleanSupplier ready,
                                         PrometheusMeterRegistry meters, DirectSeries direct,
                                         Consumer<HttpRouting.Builder> routes,
                                         AutoCloseable... parts) throws InterruptedException {
        BrokerProbe brokerProbe = new BrokerProbe(kafka, requiredTopics);
        GuardedServer server;
        try {
            server = startServer(host, port, limits, () -> ready.getAsBoolean() && brokerProbe.isReachable(), meters,
                    direct, routes, ListenerWatch.exitProcess(name));
        } catch (StartupException e) {
            System.err.println(name + " could not start: " + e.getMessage());
            System.exit(1);
            throw e; // not reached
        }
        LOG.info(name + " listening on port " + server.port() + " " + limits.describe());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            brokerProbe.close();
            for (AutoCloseable part : parts) {
                try {
                    part.close();
                } catch (Exception e) {
                    LOG.warning("error while stopping " + name + ": " + e);
                }
            }
            stopped.countDown();
        }, name + "-shutdown"));
        stopped.await();
    }
}
