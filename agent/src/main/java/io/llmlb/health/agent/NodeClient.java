package io.llmlb.health.agent;

import io.llmlb.health.agent.HeartbeatClient.Answer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The calls a node makes: heartbeats through the shared {@link HeartbeatClient}, {@code GET
 * /v0/health} to learn its node id from its token, and, to enroll, {@code POST /v0/nodes}.
 */
final class NodeClient {

    private final HttpClient http;
    private final URI baseUrl;
    private final Duration requestTimeout;
    private final HeartbeatClient heartbeats;

    NodeClient(URI baseUrl, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.requestTimeout = requestTimeout;
        this.http = HeartbeatClient.newHttpClient();
        this.heartbeats = new HeartbeatClient(baseUrl, requestTimeout, http);
    }

    Answer heartbeat(String nodeToken, HeartbeatBody body) throws IOException, InterruptedException {
        return heartbeats.send(nodeToken, body);
    }

    /** {@code GET /v0/health}: which node {@code nodeToken} belongs to ({@code node_id}). */
    Answer whoAmI(String nodeToken) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve(HeartbeatClient.PATH))
                .timeout(requestTimeout)
                .header(HeartbeatClient.TOKEN_HEADER, nodeToken)
                .GET()
                .build();
        return HeartbeatClient.answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    Answer enroll(String enrollmentKey, String nodeId, String machineName, Map<String, String> labels)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node_id", nodeId);
        body.put("machine_name", machineName.length() > 256 ? machineName.substring(0, 256) : machineName);
        body.put("labels", labels);
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/v0/nodes"))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("X-Enrollment-Key", enrollmentKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(HeartbeatClient.json(body)))
                .build();
        return HeartbeatClient.answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }
}
