package io.llmlb.health.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limits every listener has, over real sockets: idle, slow-header and slow-body connections
 * are closed after their timeout while well-behaved clients are served, and beyond the connection
 * cap new connections get nothing while the connections already open keep being served.
 */
class GuardedServerTest {

    private static final Duration SHORT = Duration.ofSeconds(1);
    /** Generous bound for "closed after the timeout": timeout plus check periods plus a slow CI machine. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(8);

    private final List<Socket> sockets = new ArrayList<>();
    private GuardedServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(ServerLimits limits) {
        server = GuardedServer.start("127.0.0.1", 0, "LLMLB_PORT", limits, routing -> routing
                .get("/ok", (request, response) -> response.send("ok"))
                .post("/echo", (request, response) -> response.send(request.content().as(String.class))),
                port -> { throw new AssertionError("listener reported dead"); });
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        Duration idleTimeout = Duration.ofSeconds(2);
        start(new ServerLimits(100, idleTimeout, Duration.ofSeconds(30)));
        Socket idle = connect();

        long closedAfter = millisUntilClosed(idle, () -> { });

        // Helidon measures idle time on a clock that ticks once a second: up to 1 s early.
        assertTrue(closedAfter >= idleTimeout.minusSeconds(1).toMillis() - 100 && closedAfter < CLOSED_WITHIN.toMillis(),
                "closed after " + closedAfter + " ms");
    }

    @Test
    void keepAliveConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        start(new ServerLimits(100, SHORT, Duration.ofSeconds(30)));
        Socket client = connect();
        assertTrue(get(client).startsWith("HTTP/1.1 200"));

        long closedAfter = millisUntilClosed(client, () -> { });

        assertTrue(closedAfter < CLOSED_WITHIN.toMillis(), "closed after " + closedAfter + " ms");
    }

    @Test
    void keepAliveConnectionServesRequestsWithinTheIdleTimeout() throws IOException {
        start(new ServerLimits(100, Duration.ofSeconds(5), SHORT));
        Socket client = connect();
        for (int i = 0; i < 3; i++) {
            assertTrue(get(client).startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void slowHeadersAreCutOffAfterTheReadTimeout() throws IOException {
        // Idle timeout far away: only the read timeout can close this connection.
        start(new ServerLimits(100, Duration.ofSeconds(60), SHORT));
        Socket slow = connect();
        slow.getOutputStream().write("GET /ok HTTP/1.1\r\nHost: test\r\n".getBytes(StandardCharsets.US_ASCII));

        long closedAfter = millisUntilClosed(slow, () -> "X-Slow: 1\r\n".getBytes(StandardCharsets.US_ASCII));

        assertTrue(closedAfter < CLOSED_WITHIN.toMillis(), "closed after " + closedAfter + " ms");
    }

    @Test
    void slowBodyIsCutOffAfterTheReadTimeout() throws IOException {
        start(new ServerLimits(100, Duration.ofSeconds(60), SHORT));
        Socket slow = connect();
        slow.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        long closedAfter = millisUntilClosed(slow, () -> "x".getBytes(StandardCharsets.US_ASCII));

        assertTrue(closedAfter < CLOSED_WITHIN.toMillis(), "closed after " + closedAfter + " ms");
    }

    @Test
    void bodySentInTimeIsServed() throws IOException {
        start(new ServerLimits(100, Duration.ofSeconds(60), SHORT));
        Socket client = connect();
        client.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII));
        String answer = readResponse(client);
        assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("hello"), answer);
    }

    @Test
    void beyondTheCapNewConnectionsWaitWhileOpenOnesAreServed() throws IOException {
        start(new ServerLimits(3, Duration.ofSeconds(60), Duration.ofSeconds(30)));
        List<Socket> holders = List.of(connect(), connect(), connect());
        for (Socket holder : holders) {
            assertTrue(get(holder).startsWith("HTTP/1.1 200")); // all three accepted and served
        }

        // Given the cap is reached, a fourth client is not served...
        Socket extra = connect();
        extra.getOutputStream().write("GET /ok HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        extra.setSoTimeout(1500);
        assertThrows(SocketTimeoutException.class, () -> extra.getInputStream().read());
        // ...while the connections already open still are,
        assertTrue(get(holders.get(1)).startsWith("HTTP/1.1 200"));

        // and once one of them closes, the waiting client gets its answer.
        holders.get(0).close();
        extra.setSoTimeout((int) CLOSED_WITHIN.toMillis());
        assertTrue(readResponse(extra).startsWith("HTTP/1.1 200"));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        socket.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
        sockets.add(socket);
        return socket;
    }

    /** Sends {@code trickle} every 200 ms (empty: nothing) and returns how long until the server closed. */
    private static long millisUntilClosed(Socket socket, java.util.function.Supplier<byte[]> trickle) throws IOException {
        long start = System.nanoTime();
        AtomicBoolean closed = new AtomicBoolean();
        Thread trickler = Thread.ofVirtual().start(() -> {
            try (OutputStream out = socket.getOutputStream()) {
                while (!closed.get()) {
                    byte[] bytes = trickle.get();
                    if (bytes != null && bytes.length > 0) {
                        out.write(bytes);
                        out.flush();
                    }
                    Thread.sleep(200); // the attacker's pace, not a wait for the system under test
                }
            } catch (IOException | InterruptedException e) {
                // the server closed the connection: what we wait for
            }
        });
        try {
            InputStream in = socket.getInputStream();
            while (in.read() != -1) {
                // a 408 or similar may come first; the connection must end
            }
        } catch (IOException e) {
            // reset by the server: closed too
        } finally {
            closed.set(true);
            trickler.interrupt();
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static long millisUntilClosed(Socket socket, Runnable nothing) throws IOException {
        return millisUntilClosed(socket, () -> null);
    }

    private static String get(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /ok HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return readResponse(socket);
    }

    /** Reads one response with a Content-Length body. */
    private static String readResponse(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        assertEquals(length, body.length);
        return head + new String(body, StandardCharsets.UTF_8);
    }
}
