package io.llmlb.health.http.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.llmlb.health.http.ErrorHandlers;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A Helidon web server with the project's limits on what clients may hold (see
 * {@link ServerLimits}), the JSON error handling, and a watch that runs {@code onListenerDeath}
 * if the listener stops accepting connections while the process lives on. Every HTTP listener of
 * the project is built here.
 */
public final class GuardedServer implements AutoCloseable {

    private static final Duration WATCH_PERIOD = Duration.ofSeconds(2);

    private final WebServer server;
    private final RequestReadGuard readGuard;
    private final ListenerWatch watch;

    private GuardedServer(WebServer server, RequestReadGuard readGuard, ListenerWatch watch) {
        this.server = server;
        this.readGuard = readGuard;
        this.watch = watch;
    }

    /**
     * Starts serving {@code routes} on {@code host:port}.
     *
     * @param portVariable the environment variable that set {@code port}, named if it is taken
     * @param onListenerDeath what to do if the listener dies later, e.g. {@link ListenerWatch#exitProcess}
     * @throws StartupException when the port cannot be bound
     */
    public static GuardedServer start(String host, int port, String portVariable, ServerLimits limits,
                                      Consumer<HttpRouting.Builder> routes, IntConsumer onListenerDeath) {
        Ports.requireFree(host, port, portVariable);
        RequestReadGuard readGuard = new RequestReadGuard(limits.readTimeout());
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .shutdownHook(false)
                .maxTcpConnections(limits.maxConnections())
                // Helidon writes an answer to the socket 8 KiB at a time, and on loopback (MSS 64 KiB)
                // every such piece is a small segment: with Nagle's algorithm on, each waited for the
                // ACK of the one before, which the client delays by up to 40 ms. A page of 100 nodes
                // (62 KB, the dashboard's) took 44 ms at the median (docs/benchmarks.md, figure 10i).
                .connectionOptions(options -> options.tcpNoDelay(true))
                .idleConnectionTimeout(limits.idleTimeout())
                // Helidon checks for idle connections every period; a quarter of the timeout keeps
                // the overshoot small without scanning every connection too often.
                .idleConnectionPeriod(Duration.ofMillis(Math.clamp(limits.idleTimeout().toMillis() / 4, 250, 30_000)))
                // Our HTTP/1 configuration replaces the discovered default instead of joining it: with
                // two, Helidon waits for a connection's first bytes to choose, and a client that
                // sends nothing would escape the idle timeout.
                .protocolsDiscoverServices(false)
                .addProtocol(Http1Config.builder().addReceiveListener(readGuard).build())
                .directHandlers(ErrorHandlers.directHandlers())
                .routing(routing -> {
                    ErrorHandlers.install(routing);
                    routing.addFilter(readGuard);
                    routes.accept(routing);
                })
                .build()
                .start();
        if (!server.isRunning()) {
            // Helidon logs why and returns a stopped server instead of throwing; most likely the
            // port was taken between the check above and the bind.
            readGuard.close();
            throw Ports.inUse(host, port, portVariable);
        }
        ListenerWatch watch = ListenerWatch.start(host, server.port(), WATCH_PERIOD, onListenerDeath);
        return new GuardedServer(server, readGuard, watch);
    }

    /** The port actually bound. */
    public int port() {
        return server.port();
    }

    /** Stops the watch first (a stopping server must not look like a dead one), then the server. */
    @Override
    public void close() {
        watch.close();
        server.stop();
        readGuard.close();
    }
}
