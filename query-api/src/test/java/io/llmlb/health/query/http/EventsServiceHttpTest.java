package io.llmlb.health.query.http;

import static io.llmlb.health.query.http.NodesServiceHttpTest.assertJsonError;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.http.server.GuardedServer;
import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.JwtService;
import io.llmlb.health.query.auth.Role;
import io.llmlb.health.query.auth.UserDirectory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /v0/events} refusals over a real socket, without Kafka: who may open a stream and how
 * it must be asked for. These refusals come before the node view is asked, which the absent (null)
 * view proves: asking it would answer 500. Streams are tested with a view in memory in
 * {@code NodeEventsHttpTest} and end to end on a real broker (the standalone module's dashboard and
 * pipeline tests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventsServiceHttpTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private JwtService jwt;
    private GuardedServer server;

    @BeforeAll
    void start() {
        jwt = new JwtService(ApiServer.SECRET, Duration.ofHours(1), Clock.systemUTC());
        Authenticator authenticator = new Authenticator(jwt, new UserDirectory(List.of(ApiServer.Users.ALICE)));
        EventsService events = new EventsService(authenticator, null, 2, Clock.systemUTC());
        server = GuardedServer.start("127.0.0.1", 0, "LLMLB_PORT", ServerLimits.defaults(),
                routing -> routing.register(events), port -> { });
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void withoutAValidJwtTheStreamIs401() throws Exception {
        HttpResponse<String> none = get(null, "text/event-stream");
        HttpResponse<String> forged = get("abc.def.ghi", "text/event-stream");

        assertJsonError(none, 401, "Bearer", null);
        assertJsonError(forged, 401, "", null);
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void withoutAcceptTextEventStreamItIs400() throws Exception {
        String token = jwt.issue(new Caller("alice", Role.VIEWER));

        assertJsonError(get(token, "application/json"), 400, "Accept: text/event-stream", null);
    }

    private HttpResponse<String> get(String token, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v0/events"))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", accept);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
