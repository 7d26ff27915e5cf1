package io.llmlb.health.http.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * Notices a listener that stopped accepting connections while the process lives on. Helidon
 * closes its server socket for good when {@code accept} fails (for example with "Too many open
 * files"), logs it once and keeps the process running, so Kafka and the broker stay up behind a
 * port that refuses everyone. The watch connects to its own port every period; two refusals in a
 * row mean the listener is gone, and {@code onDeath} runs (the mains exit non-zero, so a
 * supervisor restarts the process). A failure to open the probe's own socket (no file descriptor
 * left) proves nothing and is not counted.
 */
public final class ListenerWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ListenerWatch.class.getName());
    private static final int REFUSALS_BEFORE_DEATH = 2;

    private final InetSocketAddress target;
    private final IntConsumer onDeath;
    private final ScheduledExecutorService scheduler;
    private int refusals;
    private volatile boolean closed;

    private ListenerWatch(InetSocketAddress target, Duration period, IntConsumer onDeath) {
        this.target = target;
        this.onDeath = onDeath;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "http-listener-watch");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::probe, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Watches the listener bound to {@code host:port}, probing every {@code period}; {@code onDeath}
     * gets the port.
     */
    public static ListenerWatch start(String host, int port, Duration period, IntConsumer onDeath) {
        return new ListenerWatch(new InetSocketAddress(probeAddress(host), port), period, onDeath);
    }

    /** What runs when a service's listener died: one line on stderr, then exit status 1. */
    public static IntConsumer exitProcess(String name) {
        return port -> {
            String message = name + ": the HTTP listener on port " + port
                    + " stopped accepting connections; exiting so that it can be restarted";
            LOG.severe(message);
            System.err.println(message);
            System.exit(1);
        };
    }

    private static InetAddress probeAddress(String host) {
        try {
            InetAddress bound = InetAddress.getByName(host);
            return bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound;
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    private void probe() {
        if (closed) {
            return;
        }
        try (Socket socket = new Socket()) {
            socket.connect(target, 2000);
            refusals = 0;
        } catch (ConnectException e) {
            refusals++;
            if (refusals >= REFUSALS_BEFORE_DEATH && !closed) {
                closed = true;
                scheduler.shutdown();
                onDeath.accept(target.getPort());
            }
        } catch (IOException e) {
            // Timed out (accept queue full) or no descriptor for the probe itself: not a verdict.
        }
    }

    /** Stops watching; call it before stopping the server, or the stop itself looks like a death. */
    @Override
    public void close() {
        // No waiting for the probe thread: when the watch itself exits the process, this runs in a
        // shutdown hook while that thread waits in System.exit.
        closed = true;
        scheduler.shutdownNow();
    }
}
