package io.llmlb.health.http.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.http.JsonHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chunked body whose chunk-size line is broken is the client's mistake: 400 with the JSON error
 * body, never a 500 with a stack trace in the log, and at most one log line per request.
 */
class MalformedChunkedBodyTest {

    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                synchronized (logged) {
                    logged.add(record);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private GuardedServer server;

    @BeforeEach
    void start() {
        Logger.getLogger("").addHandler(capture);
        server = GuardedServer.start("127.0.0.1", 0, "LLMLB_PORT", ServerLimits.defaults(), routing -> routing
                .post("/v0/auth/login", (request, response) ->
                        JsonHttp.send(response, io.helidon.http.Status.OK_200, JsonHttp.readObject(request))),
                port -> { });
    }

    @AfterEach
    void stop() {
        server.close();
        Logger.getLogger("").removeHandler(capture);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2;ext=1", "zz", "-1", "ffffffffffffffff", "7fffffffffffffff", ""})
    void brokenChunkSizeGets400Json(String chunkSize) throws IOException {
        String answer = exchange("POST /v0/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunkSize + "\r\n{}\r\n0\r\n\r\n");

        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("application/json") && answer.contains("{\"error\":"), answer);
        synchronized (logged) {
            assertTrue(logged.size() <= 1, "logged " + logged.size() + " records: "
                    + logged.stream().map(LogRecord::getMessage).toList());
            assertTrue(logged.stream().allMatch(record -> record.getThrown() == null), "stack trace logged");
        }
    }

    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) != -1) {
                answer.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                if (answer.indexOf("\r\n\r\n") > 0 && answer.toString().trim().endsWith("}")) {
                    break;
                }
            }
            return answer.toString();
        }
    }
}
