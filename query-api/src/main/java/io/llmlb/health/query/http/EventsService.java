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
import io.llmlb.health.wire.NodeIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>For big fleets, {@code ?ids=a,b,c} (at most {@value #MAX_WATCHED} node ids: the rows a table
 * shows) narrows the stream to those nodes: the snapshot holds them and {@code counts}
 * ({@code {"total","states":{…}}}, as {@code GET /v0/nodes/summary}), then {@code node} and
 * {@code removed} come for them only, and {@code counts} again whenever the counts changed (checked
 * every second). A client showing another page opens a new stream.
 */
public final class EventsService implements HttpService {

    /** Changes a client may fall behind: every node of a full fleet changing four times. */
    static final int QUEUE_CAPACITY = 4096;
    /** Open streams at most; each holds one (virtual) thread and a queue. */
    static final int MAX_CLIENTS = 256;
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** Node ids one narrowed stream may watch: a screenful or a page of the table, not the fleet. */
    static final int MAX_WATCHED = 500;
    private static final Duration COUNTS_EVERY = Duration.ofSeconds(1);

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
        Set<String> watched = watched(request.query().toMap());
        if (!view.awaitReady(VIEW_PATIENCE)) {
            throw ApiException.unavailable("node view is not ready yet (still reading node-state)", RETRY_AFTER);
        }
        try (StreamSlots.Slot slot = slots.acquire(caller)) {
            stream(request, response, watched);
        }
    }

    /** The node ids of {@code ?ids=}, or null for the whole fleet; 400 naming the parameter when bad. */
    private static Set<String> watched(Map<String, List<String>> parameters) {
        for (String name : parameters.keySet()) {
            if (!name.equals("ids")) {
                throw ApiException.badRequest(name, "unknown parameter " + name + "; known: ids");
            }
        }
        List<String> values = parameters.get("ids");
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("ids", "ids may be given once, as a comma-separated list");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : values.getFirst().split(",", -1)) {
            if (!NodeIds.isValid(id)) {
                throw ApiException.badRequest("ids", "ids must be node ids separated by commas");
            }
            ids.add(id);
        }
        if (ids.size() > MAX_WATCHED) {
            throw ApiException.badRequest("ids", "at most " + MAX_WATCHED + " ids may be watched at once");
        }
        return Set.copyOf(ids);
    }

    private void stream(ServerRequest request, ServerResponse response, Set<String> watched)
            throws InterruptedException {
        EventQueue queue = new EventQueue(QUEUE_CAPACITY, watched);
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
                    if (watched == null || watched.contains(node.nodeId())) {
                        NodeJson.write(json, node, now, NodeJson.ALL_FIELDS);
                    }
                }
                json.writeEndArray();
                json.writeEndObject();
            })));
            NodeView.Counts counts = null;
            if (watched != null) {
                counts = view.counts();
                sink.emit(event("counts", countsJson(counts)));
            }
            forward(request, queue, sink, counts);
        } catch (RuntimeException e) {
            // The client went away (or the connection broke): nothing to answer any more.
            LOG.log(Level.FINE, "event stream ended: " + e);
        }
    }

    /** Forwards changes until the end; {@code counts} (null: not sent) is what the client last got. */
    private void forward(ServerRequest request, EventQueue queue, SseSink sink, NodeView.Counts counts)
            throws InterruptedException {
        long nextCheck = System.nanoTime() + KEEP_ALIVE.toNanos();
        long nextCounts = System.nanoTime() + COUNTS_EVERY.toNanos();
        NodeView.Counts sentCounts = counts;
        while (true) {
            NodeView.Update next = queue.poll(sentCounts == null ? KEEP_ALIVE : COUNTS_EVERY);
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
            if (sentCounts != null && System.nanoTime() - nextCounts >= 0) {
                NodeView.Counts now = view.counts();
                if (!now.equals(sentCounts)) {
                    sink.emit(event("counts", countsJson(now)));
                    sentCounts = now;
                }
                nextCounts = System.nanoTime() + COUNTS_EVERY.toNanos();
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

    /** Counts as {@code GET /v0/nodes/summary} shows them. */
    static byte[] countsJson(NodeView.Counts counts) {
        return NodeJson.bytes(json -> {
            json.writeStartObject();
            json.writeNumberField("total", counts.total());
            json.writeObjectFieldStart("states");
            for (var entry : counts.byState().entrySet()) {
                json.writeNumberField(entry.getKey().wireName(), entry.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static SseEvent event(String name, byte[] json) {
        return SseEvent.builder().name(name).data(new String(json, StandardCharsets.UTF_8)).build();
    }
}
