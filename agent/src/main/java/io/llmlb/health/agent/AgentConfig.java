package io.llmlb.health.agent;

import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.NodeIds;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration of the node agent, from the seed's node-side environment plus enrollment and
 * probe settings. Everything a test needs to change is a field, so tests build one directly.
 *
 * @param baseUrl {@code LLMLB_URL}, default http://localhost:8080
 * @param token {@code XLLM_TOKEN}; null means: use the token file, or enroll
 * @param tokenFile {@code XLLM_TOKEN_FILE}, default ~/.llmlb-node-token: where an enrolled node keeps its token
 * @param heartbeatInterval {@code XLLM_HEARTBEAT_SECS}, 10–60 s (the seed's range), default 30
 * @param nodeId {@code XLLM_NODE_ID}; unset, null when {@code XLLM_TOKEN} is set (the agent asks the
 *               server which node the token belongs to), else the host name (the id to enroll as)
 * @param machineName sent at enrollment: the host name
 * @param labels {@code XLLM_LABELS} as {@code key=value,key=value}, sent at enrollment
 * @param enrollmentKey {@code LLMLB_ENROLLMENT_KEY}: lets a node without a token register itself
 * @param activeRequestsCommand {@code XLLM_ACTIVE_REQUESTS_CMD}: shell command printing an integer
 * @param modelsCommand {@code XLLM_MODELS_CMD}: shell command printing model names, one per line
 * @param nvidiaSmi {@code XLLM_NVIDIA_SMI}, default {@code nvidia-smi} on the PATH; {@code off} disables
 * @param procRoot where /proc is (tests point it at fixtures)
 * @param requestTimeout per-request HTTP timeout (the seed's client uses 10 s)
 * @param backoffBase first retry delay ceiling
 * @param backoffCap largest retry delay ceiling
 */
public record AgentConfig(URI baseUrl,
                          String token,
                          Path tokenFile,
                          Duration heartbeatInterval,
                          String nodeId,
                          String machineName,
                          Map<String, String> labels,
                          String enrollmentKey,
                          String activeRequestsCommand,
                          String modelsCommand,
                          String nvidiaSmi,
                          Path procRoot,
                          Duration requestTimeout,
                          Duration backoffBase,
                          Duration backoffCap) {

    public static final int MIN_HEARTBEAT_SECS = 10;
    public static final int MAX_HEARTBEAT_SECS = 60;
    public static final int DEFAULT_HEARTBEAT_SECS = 30;

    public AgentConfig {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive");
        }
    }

    /** Reads the process environment. */
    public static AgentConfig fromEnv(Map<String, String> environment) {
        return fromEnv(environment, localHostName(), Path.of(System.getProperty("user.home")));
    }

    /** Reads {@code environment}, with the host name and home folder given (for tests). */
    public static AgentConfig fromEnv(Map<String, String> environment, String hostName, Path home) {
        EnvReader env = new EnvReader(environment);
        // A token belongs to one node: with a token and no id, the server says which (the README's
        // `XLLM_TOKEN=... ./llmlb-health agent` sent the host name and got 403 forever).
        String nodeId = env.string("XLLM_NODE_ID",
                env.optional("XLLM_TOKEN") != null ? null : NodeIdFromHost.of(hostName));
        if (nodeId != null && !NodeIds.isValid(nodeId)) {
            throw new ConfigException("XLLM_NODE_ID=" + nodeId + " is not a valid node id: 1-64 of letters, digits,"
                    + " '.', '_' or '-'");
        }
        String tokenFile = env.string("XLLM_TOKEN_FILE", home.resolve(".llmlb-node-token").toString());
        String nvidiaSmi = env.string("XLLM_NVIDIA_SMI", "nvidia-smi");
        return new AgentConfig(
                baseUrl(env.string("LLMLB_URL", "http://localhost:8080")),
                env.optional("XLLM_TOKEN"),
                Path.of(tokenFile),
                env.seconds("XLLM_HEARTBEAT_SECS", DEFAULT_HEARTBEAT_SECS, MIN_HEARTBEAT_SECS, MAX_HEARTBEAT_SECS),
                nodeId,
                hostName,
                labels(env.optional("XLLM_LABELS")),
                env.optional("LLMLB_ENROLLMENT_KEY"),
                env.optional("XLLM_ACTIVE_REQUESTS_CMD"),
                env.optional("XLLM_MODELS_CMD"),
                nvidiaSmi.equalsIgnoreCase("off") ? null : nvidiaSmi,
                Path.of("/proc"),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60));
    }

    /** This configuration with another heartbeat interval (tests beat faster than the seed allows). */
    public AgentConfig withHeartbeatInterval(Duration interval) {
        return new AgentConfig(baseUrl, token, tokenFile, interval, nodeId, machineName, labels, enrollmentKey,
                activeRequestsCommand, modelsCommand, nvidiaSmi, procRoot, requestTimeout, backoffBase, backoffCap);
    }

    /** This configuration with other retry delays. */
    public AgentConfig withBackoff(Duration base, Duration cap) {
        return new AgentConfig(baseUrl, token, tokenFile, heartbeatInterval, nodeId, machineName, labels,
                enrollmentKey, activeRequestsCommand, modelsCommand, nvidiaSmi, procRoot, requestTimeout, base, cap);
    }

    /** One line for the start-up log; the token and the enrollment key are masked. */
    public String describe() {
        return "agent: node=" + (nodeId == null ? "(the token's, asked from the server)" : nodeId) + " url=" + baseUrl + " interval=" + (heartbeatInterval.toMillis() % 1000 == 0
                ? heartbeatInterval.toSeconds() + "s" : heartbeatInterval.toMillis() + "ms")
                + " token=" + (token != null ? "set (XLLM_TOKEN)" : "from " + tokenFile)
                + " enrollment-key=" + (enrollmentKey != null ? "set" : "unset")
                + " gpu=" + (nvidiaSmi == null ? "off" : nvidiaSmi)
                + " active-requests-cmd=" + (activeRequestsCommand == null ? "unset" : "set")
                + " models-cmd=" + (modelsCommand == null ? "unset" : "set");
    }

    static URI baseUrl(String raw) {
        try {
            URI uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new URISyntaxException(raw, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("LLMLB_URL=" + raw + " is not an http:// or https:// URL with a host");
        }
    }

    static Map<String, String> labels(String raw) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (raw == null) {
            return labels;
        }
        for (String pair : raw.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new ConfigException("XLLM_LABELS=" + raw + " must be key=value pairs separated by commas");
            }
            labels.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return labels;
    }

    private static String localHostName() {
        try {
            String fromFile = Files.readString(Path.of("/etc/hostname")).trim();
            if (!fromFile.isEmpty()) {
                return fromFile;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no such file: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Host names may hold characters node ids do not; those become '-'. */
    static final class NodeIdFromHost {
        private NodeIdFromHost() {
        }

        static String of(String hostName) {
            String cleaned = hostName.replaceAll("[^A-Za-z0-9._-]", "-");
            if (cleaned.length() > 64) {
                cleaned = cleaned.substring(0, 64);
            }
            return cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..") ? "node" : cleaned;
        }
    }
}
