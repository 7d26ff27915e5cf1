package io.llmlb.health.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.llmlb.health.kafka.UnavailableException;
import io.llmlb.health.wire.Json;
import io.llmlb.health.wire.NodeIds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Maps exceptions to JSON error responses, once, for every routing of the project. */
public final class ErrorHandlers {

    private static final Logger LOG = Logger.getLogger(ErrorHandlers.class.getName());

    private ErrorHandlers() {
    }

    /** Installs the mappings on {@code routing}. */
    public static void install(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (request, response, error) -> {
            if (error.retryAfter() != null) {
                response.header(HeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, error.retryAfter().toSeconds())));
            }
            if (error.status() == Status.UNAUTHORIZED_401) {
                response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"llmlb\"");
            }
            JsonHttp.send(response, error.status(), body(error.getMessage(), error.field()));
        });
        routing.error(UnavailableException.class, (request, response, error) -> {
            // Kafka or a store is not ready: the system's fault, not the client's; it may retry.
            response.header(HeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, error.retryAfter().toSeconds())));
            JsonHttp.send(response, Status.SERVICE_UNAVAILABLE_503, body(error.getMessage(), null));
        });
        routing.error(NodeIds.InvalidNodeIdException.class, (request, response, error) ->
                JsonHttp.send(response, Status.BAD_REQUEST_400, body(error.getMessage(), error.field())));
        routing.error(HttpException.class, (request, response, error) -> {
            // Helidon's own refusals, such as no route for this method and path: without this they
            // would fall to the RuntimeException handler below and answer 500 for a client's mistake.
            if (error.status().code() >= 500) {
                LOG.log(Level.SEVERE, "server error on " + request.prologue().method().text() + " "
                        + request.path().path(), error);
                JsonHttp.send(response, Status.INTERNAL_SERVER_ERROR_500, body("internal error", null));
                return;
            }
            String message = error.status().code() == Status.NOT_FOUND_404.code()
                    ? "no endpoint " + request.prologue().method().text() + " " + request.path().path()
                    : error.getMessage();
            JsonHttp.send(response, error.status(), body(message, null));
        });
        routing.error(RuntimeException.class, (request, response, error) -> {
            // Never a stack trace to the client: the log has it, the client gets a plain message.
            LOG.log(Level.SEVERE, "unexpected error on " + request.prologue().method().text() + " "
                    + request.path().path(), error);
            JsonHttp.send(response, Status.INTERNAL_SERVER_ERROR_500, body("internal error", null));
        });
    }

    /**
     * Handlers for what Helidon refuses before routing (a garbage request line, a bad
     * Content-Length, broken percent-encoding): the same JSON error body instead of an empty one.
     */
    public static DirectHandlers directHandlers() {
        DirectHandler json = (request, eventType, status, headers, message) -> {
            headers.set(HeaderNames.CONTENT_TYPE, "application/json");
            headers.set(HeaderNames.X_CONTENT_TYPE_OPTIONS, JsonHttp.NO_SNIFF);
            String error = message == null || message.isBlank() ? status.reasonPhrase() : message;
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .entity(Json.toBytes(body(error, null)))
                    .build();
        };
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, json);
        }
        return handlers.build();
    }

    /** The error body: {@code {"error": ..., "field": ...}}, field only when there is one. */
    public static Map<String, Object> body(String error, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (field != null) {
            body.put("field", field);
        }
        return body;
    }
}
