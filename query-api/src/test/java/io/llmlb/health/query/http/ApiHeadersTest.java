package io.llmlb.health.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Every API answer says {@code X-Content-Type-Options: nosniff} (issue 12, item 11): JSON that quotes
 * what a client sent must never be sniffed as HTML by a browser, on success, on a refusal, and on
 * what Helidon refuses before routing.
 */
class ApiHeadersTest {

    @Test
    void successRefusalAndUnknownRouteAnswerWithNosniff() {
        try (ApiServer api = new ApiServer(ApiServer.defaults())) {
            HttpResponse<String> ok = api.login("admin", "test");
            HttpResponse<String> unauthorized = api.send("GET", "/v0/nodes", null);
            HttpResponse<String> badRequest = api.send("POST", "/v0/auth/login", "<b>not json</b>",
                    "Content-Type", "application/json");
            HttpResponse<String> noRoute = api.send("GET", "/v0/%3Cscript%3E", null);

            for (HttpResponse<String> answer : java.util.List.of(ok, unauthorized, badRequest, noRoute)) {
                assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(null),
                        answer.statusCode() + " " + answer.uri());
            }
            assertEquals(200, ok.statusCode());
            assertEquals(401, unauthorized.statusCode());
            assertEquals(400, badRequest.statusCode());
            assertEquals(404, noRoute.statusCode());
        }
    }

    @Test
    void requestRefusedBeforeRoutingAnswersWithNosniff() throws IOException {
        try (ApiServer api = new ApiServer(ApiServer.defaults());
             Socket socket = new Socket("127.0.0.1", api.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /v0/nodes HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(2048), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);

            assertEquals(true, head.startsWith("http/1.1 400"), head);
            assertEquals(true, head.contains("x-content-type-options: nosniff"), head);
        }
    }
}
