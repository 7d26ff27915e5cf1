package io.llmlb.health.query.http;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.http.JsonHttp;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.query.view.NodeView;
import io.llmlb.health.wire.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /v0/events}: node changes as server-sent events, for the dashboard. Any logged-in
 * user, with the usual {@code Authorization: Bearer <jwt>} header (the dashboard reads the stream
 * with {@code fetch()}, so no token ever goes into a URL).
 *
 * <p>Events: {@code snapshot} first ({@code {"server_time", "nodes": [...]}}, as in
 * {@code GET /v0/nodes}), then {@code node} (one node as in {@code GET /v0/nodes/{id}}) and
 * {@code removed} ({@code {"id"}}) as they happen, and a comment line every 15 s so that proxies
 * keep the connection and dead clients are found. A client that falls {@value #QUEUE_CAPACITY}
 * changes behind gets {@code resync} and the stream ends: it reconnects and starts from a fresh
 * snapshot instead of the server buffering for it without bound. The stream also ends when the
 * caller's token expires. One user holds at most {@code LLMLB_EVENT_STREAMS_PER_USER} streams (429
 * beyond), and the last few of the {@value #MAX_CLIENTS} are kept for admins ({@link StreamSlots}).
 */
public final class EventsService implements HttpService {

    /** Changes a client may fall behind: every node of a full fleet changing four times. */
    static final int QUEUE_CAPACITY = 4096;
    /** Open streams at most; each holds one (virtual) thread and a queue. */
    static final int MAX_CLIENTS = 256;
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final Logger LOG = Logger.getLogger(EventsService.class.getName());
    /** Tells nginx (and proxies that follow it) not to hold events back to fill a buffer. */
    private static final HeaderName NO_PROXY_BUFFERING = HeaderNames.create("X-Accel-Buffering");
    private static final Duration VIEW_PATIENCE = Duration.ofSeconds(10);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private final Authenticator auth;
    private final NodeView view;
    private final Clock clock;
    private final StreamSlots slots;

    /** {@code streamsPerUser}: how many streams one user may hold open at once. */
    public EventsService(Authenticator auth, NodeView view, int streamsPerUser, Clock clock) {
        this.auth = auth;
        this.view = view;
        this.slots = new StreamSlots(MAX_CLIENTS, streamsPerUser);
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v0/events", this::events);
    }

    private void events(ServerRequest request, ServerResponse response) throws InterruptedException {
        Caller caller = auth.caller(request);
        if (!request.headers().isAccepted(MediaTypes.TEXT_EVENT_STREAM)) {
            throw ApiException.badRequest(null, "this is a server-sent event stream: send Accept: text/event-stream");
        }
        if (!view.awaitReady(VIEW_PATIENCE)) {
            throw ApiException.unavailable("node view is not ready yet (still reading node-state)", RETRY_AFTER);
        }
        try (StreamSlots.Slot slot = slots.acquire(caller)) {
            stream(request, response);
        }
    }

    private void stream(ServerRequest request, ServerResponse response) throws InterruptedException {
        EventQueue queue = new EventQueue(QUEUE_CAPACITY);
        response.header(NO_PROXY_BUFFERING, "no");
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, JsonHttp.NO_SNIFF);
        try (NodeView.Subscription subscription = view.subscribe(queue);
             SseSink sink = response.sink(SseSink.TYPE)) {
            Instant now = clock.instant();
            sink.emit(event("snapshot", NodeJson.bytes(json -> {
                json.writeStartObject();
                json.writeStringField("server_time", now.toString());
                json.writeArrayFieldStart("nodes");
                for (NodeEntry node : subscription.snapshot()) {
                    NodeJson.write(json, node, now, NodeJson.ALL_FIELDS);
                }
                json.writeEndArray();
                json.writeEndObject();
            })));
            forward(request, queue, sink);
        } catch (RuntimeException e) {
            // The client went away (or the connection broke): nothing to answer any more.
            LOG.log(Level.FINE, "event stream ended: " + e);
        }
    }

    private void forward(ServerRequest request, EventQueue queue, SseSink sink) throws InterruptedException {
        long nextCheck = System.nanoTime() + KEEP_ALIVE.toNanos();
        while (true) {
            NodeView.Update next = queue.poll(KEEP_ALIVE);
            if (next == EventQueue.END) {
                if (queue.overflowed()) {
                    sink.emit(event("resync", Json.toBytes(Map.of("reason", "client fell more than "
                            + QUEUE_CAPACITY + " changes behind"))));
                }
                return;
            }
            if (next != null) {
                sink.emit(next.node() == null
                        ? event("removed", Json.toBytes(Map.of("id", next.nodeId())))
                        : event("node", NodeJson.of(next.node(), clock.instant())));
            }
            if (System.nanoTime() - nextCheck >= 0) {
                if (!stillAuthorised(request)) {
                    return;
                }
                sink.emit(SseEvent.builder().comment("keep-alive").build());
                nextCheck = System.nanoTime() + KEEP_ALIVE.toNanos();
            }
        }
    }

    private boolean stillAuthorised(ServerRequest request) {
        try {
            auth.caller(request);
            return true;
        } catch (ApiException expired) {
            return false;
        }
    }

    private static SseEvent event(String name, byte[] json) {
        return SseEvent.builder().name(name).data(new String(json, StandardCharsets.UTF_8)).build();
    }
}
