package io.llmlb.health.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmlb.health.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.OptionalLong;

/** Reading JSON request bodies defensively and writing JSON responses. */
public final class JsonHttp {

    /** The seed's heartbeat is ~300 bytes; 64 KiB leaves room for long model lists and nothing more. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /**
     * Reads request bodies. NaN and Infinity literals are let through the parser so that the
     * field's own range check refuses them by name; a second document after the first, or a
     * repeated key, is refused because two readers of such a body can disagree on what it says.
     */
    private static final ObjectReader REQUEST_READER = Json.MAPPER.reader()
            .with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonHttp() {
    }

    /**
     * Tells browsers to take the declared content type as it is: a JSON answer that quotes client
     * input (an error naming a field, a node's model names) must never be sniffed as HTML or script.
     */
    public static final String NO_SNIFF = "nosniff";

    /** Sends {@code body} as JSON with {@code status}. */
    public static void send(ServerResponse response, Status status, Object body) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, NO_SNIFF);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(Json.toBytes(body));
    }

    /**
     * The request body as a JSON object: 415 unless the content type is JSON, 413 over
     * {@link #MAX_BODY_BYTES}, 400 for anything that is not one well-formed, shallow JSON object.
     */
    public static ObjectNode readObject(ServerRequest request) {
        requireJsonContentType(request);
        byte[] body = readBounded(request);
        JsonNode node;
        try {
            node = REQUEST_READER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest(null, limitExceeded(e));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(null, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // The body is already in memory: the only I/O that can fail is decoding it (bad UTF-16/32).
            throw ApiException.badRequest(null, "request body is not valid JSON text: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.badRequest(null, "request body is empty; a JSON object is required");
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(null, "request body must be a JSON object, not " + describe(node));
        }
        return (ObjectNode) node;
    }

    /** Like {@link #readObject} but an absent body means an empty object. */
    public static ObjectNode readOptionalObject(ServerRequest request) {
        OptionalLong length = request.headers().contentLength();
        boolean empty = !request.content().hasEntity() || (length.isPresent() && length.getAsLong() == 0);
        return empty ? Json.MAPPER.createObjectNode() : readObject(request);
    }

    /** Which of the parser's limits a body broke: nesting (ours) or the length of a number or name. */
    private static String limitExceeded(StreamConstraintsException e) {
        String detail = String.valueOf(e.getOriginalMessage());
        if (detail.contains("nesting depth")) {
            return "JSON nested deeper than " + Json.MAX_NESTING_DEPTH + " levels";
        }
        // Jackson names its own setting ("from `StreamReadConstraints...`"): of no use to a client.
        return "JSON value too long: " + detail.replaceAll(", from `[^`]*`", "");
    }

    private static void requireJsonContentType(ServerRequest request) {
        String type;
        try {
            type = request.headers().contentType().map(HttpMediaType::mediaType)
                    .map(media -> (media.type() + "/" + media.subtype()).toLowerCase(Locale.ROOT))
                    .orElse(null);
        } catch (RuntimeException e) {
            // Helidon cannot parse the header ("garbage"): still a content type other than JSON.
            throw ApiException.unsupportedMediaType("Content-Type must be application/json, not a malformed value");
        }
        if (type == null || !(type.equals("application/json") || type.endsWith("+json"))) {
            throw ApiException.unsupportedMediaType("Content-Type must be application/json, not "
                    + (type == null ? "absent" : type));
        }
    }

    private static byte[] readBounded(ServerRequest request) {
        OptionalLong declared = request.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
        } catch (IOException | UncheckedIOException e) {
            throw ApiException.badRequest(null, "request body could not be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // Helidon parses each chunk-size line with Integer.parseUnsignedInt and lets the
            // NumberFormatException through ("2;ext=1", "zz", "-1", "ffffffffffffffff"): a broken
            // body, the client's mistake, not the server's fault.
            throw ApiException.badRequest(null, "malformed chunked request body: a chunk size is not a hexadecimal"
                    + " number below 2^31 (chunk extensions are not accepted)");
        }
    }

    private static ApiException tooLarge() {
        return ApiException.tooLarge("request body larger than " + MAX_BODY_BYTES + " bytes");
    }

    /** A short name of a JSON value's type, for error messages. */
    public static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
