package io.llmlb.health.ingest.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.http.JsonHttp;
import io.llmlb.health.ingest.HeartbeatSink;
import io.llmlb.health.ingest.limit.HeartbeatThrottle;
import io.llmlb.health.wire.Heartbeat;
import io.llmlb.health.wire.NodeTokens;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryView;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmlb.health.ingest.InFlightHeartbeats;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v0/health}: the hot path. Checks the node token, validates the body, and answers
 * 200 only after the heartbeat is durably in Kafka. {@code GET /v0/health} tells a token's holder
 * which node the token belongs to, so an agent given only a token knows its node id.
 */
public final class HeartbeatService implements HttpService {

    /** The seed's header carrying the node token. */
    public static final HeaderName NODE_TOKEN = HeaderNames.create("X-Node-Token");

    /**
     * How long an unknown token waits for the registry to reach the registry topic's end (a few
     * hundred ms as a rule) before 401: a node registered through the query API a moment ago
     * beats at once. Longer only when the broker is slow, and agents then wait anyway.
     */
    private static final Duration FRESH_REGISTRY_PATIENCE = Duration.ofSeconds(5);

    /**
     * The gateway's id of the request (nginx {@code $request_id}, or the client's own): kept in the
     * heartbeat so that a retry of the same request on another replica is counted once.
     */
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final Pattern VALID_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final RegistryView registry;
    private final HeartbeatSink sink;
    private final HeartbeatThrottle throttle;
    private final InFlightHeartbeats inFlight;

    public HeartbeatService(RegistryView registry, HeartbeatSink sink, HeartbeatThrottle throttle,
                            InFlightHeartbeats inFlight) {
        this.registry = registry;
        this.sink = sink;
        this.throttle = throttle;
        this.inFlight = inFlight;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v0/health", this::heartbeat);
        rules.get("/v0/health", this::whoAmI);
    }

    /** {@code {"node_id": ..., "approved": ...}} of the token's node; 401 as for a heartbeat. */
    private void whoAmI(ServerRequest request, ServerResponse response) {
        Registration registration = authenticate(request);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("node_id", registration.nodeId());
        answer.put("approved", registration.approved());
        JsonHttp.send(response, Status.OK_200, answer);
    }

    private void heartbeat(ServerRequest request, ServerResponse response) {
        Registration registration = authenticate(request);
        // Before the body is read: a flood costs a map update per request, not a parse and a write.
        throttle.acquire(registration.nodeId()).ifPresent(wait -> {
            throw ApiException.tooManyRequests("node " + registration.nodeId() + " sends heartbeats faster than "
                    + "allowed (LLMLB_HEARTBEAT_RATE, LLMLB_HEARTBEAT_BURST); retry after Retry-After seconds",
                    Duration.ofSeconds((wait.toMillis() + 999) / 1000));
        });
        String requestId = requestId(request);
        ObjectNode body = JsonHttp.readObject(request);
        Heartbeat heartbeat;
        // Stamped and counted in flight until stored or refused: ingest's input ticks promise
        // that every heartbeat received before them is already in the topic.
        try (InFlightHeartbeats.Admission admission = inFlight.admit()) {
            heartbeat = HeartbeatParser.parse(body, admission.receivedAt(), requestId);
            if (!registration.nodeId().equals(heartbeat.nodeId())) {
                throw ApiException.forbidden("this node token belongs to another node, not to node_id "
                        + heartbeat.nodeId());
            }
            sink.publish(heartbeat);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "ok");
        answer.put("server_time", heartbeat.receivedAt().getEpochSecond());
        JsonHttp.send(response, Status.OK_200, answer);
    }

    private static String requestId(ServerRequest request) {
        String requestId = request.headers().first(REQUEST_ID).map(String::trim).orElse(null);
        if (requestId == null || requestId.isEmpty()) {
            return null;
        }
        if (!VALID_REQUEST_ID.matcher(requestId).matches()) {
            throw ApiException.badRequest(REQUEST_ID.defaultCase(),
                    "X-Request-Id must be 1 to 128 characters of letters, digits and . _ : -");
        }
        return requestId;
    }

    private Registration authenticate(ServerRequest request) {
        String token = request.headers().first(NODE_TOKEN).map(String::trim).orElse("");
        if (token.isEmpty()) {
            throw ApiException.unauthorized("X-Node-Token header is required");
        }
        String presentedHash = NodeTokens.sha256Hex(token);
        Optional<Registration> registration = registeredWith(presentedHash);
        if (registration.isEmpty()) {
            // Maybe registered (or rotated) a moment ago and not yet read here: look once more
            // after the registry has caught up with everything acknowledged until now.
            awaitFreshRegistry();
            registration = registeredWith(presentedHash);
        }
        return registration.orElseThrow(() -> ApiException.unauthorized("unknown or revoked node token"));
    }

    private Optional<Registration> registeredWith(String presentedHash) {
        return registry.byTokenHash(presentedHash)
                // The map lookup found a candidate; the constant-time comparison is the actual check.
                .filter(candidate -> NodeTokens.sameHash(candidate.tokenSha256(), presentedHash));
    }

    private void awaitFreshRegistry() {
        try {
            registry.awaitFresh(FRESH_REGISTRY_PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
