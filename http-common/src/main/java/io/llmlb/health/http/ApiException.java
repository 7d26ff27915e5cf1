package io.llmlb.health.http;

import io.helidon.http.Status;
import java.time.Duration;

/**
 * A request the service refuses, with the status and the JSON error body
 * {@code {"error": "...", "field": "..."}} the client gets. Handlers throw it; {@link ErrorHandlers}
 * turns it into the response, once for every service.
 */
public final class ApiException extends RuntimeException {

    private final Status status;
    private final String field;
    private final Duration retryAfter;

    private ApiException(Status status, String error, String field, Duration retryAfter) {
        super(error, null, false, false);
        this.status = status;
        this.field = field;
        this.retryAfter = retryAfter;
    }

    /** 400: {@code field} is wrong as {@code error} says. */
    public static ApiException badRequest(String field, String error) {
        return new ApiException(Status.BAD_REQUEST_400, error, field, null);
    }

    /** 401: no or bad credentials. */
    public static ApiException unauthorized(String error) {
        return new ApiException(Status.UNAUTHORIZED_401, error, null, null);
    }

    /** 403: authenticated, but not allowed. */
    public static ApiException forbidden(String error) {
        return new ApiException(Status.FORBIDDEN_403, error, null, null);
    }

    /** 404. */
    public static ApiException notFound(String error) {
        return new ApiException(Status.NOT_FOUND_404, error, null, null);
    }

    /** 409: the request conflicts with the current state. */
    public static ApiException conflict(String error) {
        return new ApiException(Status.CONFLICT_409, error, null, null);
    }

    /** 413. */
    public static ApiException tooLarge(String error) {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, error, null, null);
    }

    /** 415. */
    public static ApiException unsupportedMediaType(String error) {
        return new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, error, null, null);
    }

    /** 429 with a Retry-After. */
    public static ApiException tooManyRequests(String error, Duration retryAfter) {
        return new ApiException(Status.TOO_MANY_REQUESTS_429, error, null, retryAfter);
    }

    /** 503 with a Retry-After: our own fault (Kafka unreachable, store not ready), not the client's. */
    public static ApiException unavailable(String error, Duration retryAfter) {
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, error, null, retryAfter);
    }

    public Status status() {
        return status;
    }

    /** The offending field, or null. */
    public String field() {
        return field;
    }

    /** How long the client should wait, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
