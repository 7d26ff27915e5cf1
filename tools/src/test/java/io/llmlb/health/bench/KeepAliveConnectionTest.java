package io.llmlb.health.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bench's minimal client reads fixed-length, chunked and closing answers and reuses its connection. */
class KeepAliveConnectionTest {

    private HttpServer server;
    private final AtomicInteger bodiesSeen = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fixed", exchange -> {
            bodiesSeen.addAndGet(exchange.getRequestBody().readAllBytes().length);
            byte[] body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/chunked", exchange -> {
            exchange.sendResponseHeaders(503, 0);
            exchange.getResponseBody().write("x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        server.createContext("/empty", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void answersOfEveryShapeAreReadWholeOnOneConnection() throws Exception {
        String host = "127.0.0.1:" + server.getAddress().getPort();
        byte[] post = KeepAliveConnection.request("POST", "/fixed", host, new String[] {"X-Node-Token: t"}, "{\"a\":1}");
        byte[] chunked = KeepAliveConnection.request("GET", "/chunked", host, new String[0], null);
        byte[] empty = KeepAliveConnection.request("GET", "/empty", host, new String[0], null);

        try (KeepAliveConnection connection = new KeepAliveConnection("127.0.0.1", server.getAddress().getPort())) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, connection.exchange(post));
                assertEquals(503, connection.exchange(chunked));
                assertEquals(204, connection.exchange(empty));
            }
        }
        assertEquals(3 * 7, bodiesSeen.get());
    }
}
