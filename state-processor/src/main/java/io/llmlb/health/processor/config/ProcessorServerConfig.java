package io.llmlb.health.processor.config;

import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.wire.EnvReader;
import java.util.Map;

/**
 * The state-processor's own HTTP server, which serves only {@code /metrics} and {@code /health/*}:
 * apart from {@link StateProcessorConfig} because the embedded standalone runs the processor
 * without a server of its own.
 *
 * @param port {@code LLMLB_PORT} (default 8080)
 * @param limits the server's connection and request limits ({@code LLMLB_MAX_CONNECTIONS} etc.)
 */
public record ProcessorServerConfig(int port, ServerLimits limits) {

    /** Every interface: the container's port is published or scraped by name. */
    public static final String HOST = "0.0.0.0";

    public static ProcessorServerConfig fromEnv(Map<String, String> environment) {
        return new ProcessorServerConfig(new EnvReader(environment).port("LLMLB_PORT", 8080),
                ServerLimits.fromEnv(environment));
    }
}
