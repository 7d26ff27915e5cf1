package io.llmlb.health.http.server;

/**
 * A reason not to start that the operator can fix, such as a port in use or a data directory held
 * by another instance. Its message is the one line printed; no stack trace goes with it.
 */
public final class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }
}
