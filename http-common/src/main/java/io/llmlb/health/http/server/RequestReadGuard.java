package io.llmlb.health.http.server;

import io.helidon.webserver.ConnectionContext;
import io.helidon.http.HttpPrologue;
import io.helidon.http.media.ReadableEntity;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes connections whose client takes longer than the read timeout to send a request's headers,
 * or then its body. Helidon's own idle timeout only covers a connection waiting for the first line
 * of a request; a client that sent a request line and then trickles headers or body bytes, one
 * every few seconds, would hold its connection (and thread and file descriptor) forever.
 *
 * <p>Helidon reads and handles each HTTP/1 connection on one thread, so the guard keys its
 * deadlines by thread: the request line arriving (a receive listener) starts the header budget,
 * routing starting (a filter) ends it and, when the request has a body, starts the body budget,
 * which ends once the body is consumed (by the handler or by Helidon draining it). A thread still
 * reading past its deadline is interrupted, which closes its socket.
 */
public final class RequestReadGuard implements Http1ConnectionListener, Filter, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RequestReadGuard.class.getName());

    /** A request being received on one connection's thread; {@code body} null while its headers arrive. */
    private record Reception(long deadlineNanos, ReadableEntity body) {
    }

    private final long timeoutNanos;
    private final LongSupplier nanoTime;
    private final Map<Thread, Reception> receiving = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    /** A guard with {@code timeout}, checking every quarter of it (at least every second). */
    public RequestReadGuard(Duration timeout) {
        this(timeout, System::nanoTime);
    }

    RequestReadGuard(Duration timeout, LongSupplier nanoTime) {
        this.timeoutNanos = timeout.toNanos();
        this.nanoTime = nanoTime;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "http-read-guard");
            thread.setDaemon(true);
            return thread;
        });
        long periodMillis = Math.clamp(timeout.toMillis() / 4, 50, 1000);
        sweeper.scheduleWithFixedDelay(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        receiving.put(Thread.currentThread(), new Reception(nanoTime.getAsLong() + timeoutNanos, null));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        Thread connection = Thread.currentThread();
        ReadableEntity body = request.content();
        if (body.hasEntity() && !body.consumed()) {
            receiving.put(connection, new Reception(nanoTime.getAsLong() + timeoutNanos, body));
        } else {
            receiving.remove(connection);
        }
        chain.proceed();
    }

    /** Interrupts every connection thread still receiving a request past its deadline. */
    void sweep() {
        long now = nanoTime.getAsLong();
        receiving.forEach((thread, reception) -> {
            if (!thread.isAlive() || (reception.body() != null && reception.body().consumed())) {
                receiving.remove(thread, reception);
            } else if (now - reception.deadlineNanos() > 0 && receiving.remove(thread, reception)) {
                LOG.log(Level.FINE, () -> "closing a connection that sent its request "
                        + (reception.body() == null ? "headers" : "body") + " too slowly");
                thread.interrupt();
            }
        });
    }

    /** Connections currently receiving a request (for tests). */
    int receivingCount() {
        return receiving.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
