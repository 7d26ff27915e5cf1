package io.llmlb.health.query.config;

import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.query.auth.PasswordHasher;
import io.llmlb.health.query.auth.Role;
import io.llmlb.health.query.auth.UserAccount;
import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed configuration of the query API.
 *
 * @param kafka broker and topics
 * @param host {@code LLMLB_HOST}
 * @param port {@code LLMLB_PORT}, default 8080
 * @param dataDir {@code LLMLB_DATA_DIR}: the JWT secret file
 * @param users admin ({@code LLMLB_ADMIN_USER}/{@code LLMLB_ADMIN_PASSWORD}, default admin/test)
 *        and viewers ({@code LLMLB_VIEWERS}, {@code LLMLB_USERS_FILE}), passwords hashed
 * @param defaultAdminPassword whether the admin still has the seed's default password
 * @param jwtSecret HS256 key ({@code LLMLB_JWT_SECRET} or generated under the data folder)
 * @param jwtTtl {@code LLMLB_JWT_TTL} seconds, default 24 h
 * @param maxNodes {@code LLMLB_MAX_NODES}, default 1000 (the seed's limit)
 * @param enrollmentKey {@code LLMLB_ENROLLMENT_KEY}; null disables self-registration; at least
 *        {@value #MIN_ENROLLMENT_KEY_LENGTH} characters
 * @param limits what one client may take: trusted proxies, login pool, enrollment caps, event streams
 * @param grafanaUrl {@code LLMLB_GRAFANA_URL}: an http(s) URL the dashboard links to (e.g. the
 *        fleet's Grafana dashboard); null shows no link
 */
public record QueryApiConfig(KafkaSettings kafka,
                             String host,
                             int port,
                             Path dataDir,
                             List<UserAccount> users,
                             boolean defaultAdminPassword,
                             byte[] jwtSecret,
                             Duration jwtTtl,
                             int maxNodes,
                             String enrollmentKey,
                             ClientLimits limits,
                             URI grafanaUrl,
                             boolean perNodeMetrics,
                             ServerLimits serverLimits) {

    /** An enrollment key is guessed over the network: shorter ones are refused at start. */
    public static final int MIN_ENROLLMENT_KEY_LENGTH = 16;
    static final String DEFAULT_ADMIN_USER = "admin";
    static final String DEFAULT_ADMIN_PASSWORD = "test";

    /** Reads the configuration from the environment; creates the JWT secret file when needed. */
    public static QueryApiConfig fromEnv(Map<String, String> environment) {
        EnvReader env = new EnvReader(environment);
        Path dataDir = Path.of(env.string("LLMLB_DATA_DIR", "data"));
        String adminPassword = env.string("LLMLB_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD);
        List<UserAccount> users = new ArrayList<>();
        users.add(new UserAccount(env.string("LLMLB_ADMIN_USER", DEFAULT_ADMIN_USER), Role.ADMIN,
                PasswordHasher.hash(adminPassword)));
        users.addAll(viewers(env.optional("LLMLB_VIEWERS")));
        String usersFile = env.optional("LLMLB_USERS_FILE");
        if (usersFile != null) {
            users.addAll(usersFile(Path.of(usersFile)));
        }
        return new QueryApiConfig(KafkaSettings.fromEnv(env), env.string("LLMLB_HOST", "0.0.0.0"),
                env.port("LLMLB_PORT", 8080), dataDir, List.copyOf(users),
                DEFAULT_ADMIN_PASSWORD.equals(adminPassword),
                JwtSecrets.resolve(env.optional("LLMLB_JWT_SECRET"), dataDir),
                env.seconds("LLMLB_JWT_TTL", 86_400, 60, 30 * 86_400),
                env.intInRange("LLMLB_MAX_NODES", 1000, 1, 1_000_000),
                enrollmentKey(env), ClientLimits.fromEnv(env), grafanaUrl(env.optional("LLMLB_GRAFANA_URL")),
                perNodeMetrics(env), ServerLimits.fromEnv(environment));
    }

    /** Reads {@code LLMLB_PER_NODE_METRICS} (true or false, default true). */
    public static boolean perNodeMetrics(EnvReader env) {
        String raw = env.string("LLMLB_PER_NODE_METRICS", "true").toLowerCase(Locale.ROOT);
        return switch (raw) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException("LLMLB_PER_NODE_METRICS=" + raw + " must be true or false");
        };
    }

    private static String enrollmentKey(EnvReader env) {
        String key = env.optional("LLMLB_ENROLLMENT_KEY");
        if (key != null && key.length() < MIN_ENROLLMENT_KEY_LENGTH) {
            throw new ConfigException("LLMLB_ENROLLMENT_KEY must be at least " + MIN_ENROLLMENT_KEY_LENGTH
                    + " characters, not " + key.length() + " (e.g. openssl rand -base64 24)");
        }
        return key;
    }

    /** An absolute http or https URL with a host, or null when unset. */
    static URI grafanaUrl(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // said below
        }
        throw new ConfigException("LLMLB_GRAFANA_URL must be an http:// or https:// URL with a host, not " + text);
    }

    /** {@code user:password} pairs separated by commas, all viewers. */
    static List<UserAccount> viewers(String pairs) {
        List<UserAccount> viewers = new ArrayList<>();
        if (pairs == null) {
            return viewers;
        }
        for (String pair : pairs.split(",")) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new ConfigException("LLMLB_VIEWERS must be user:password pairs separated by commas");
            }
            viewers.add(new UserAccount(pair.substring(0, colon).trim(), Role.VIEWER,
                    PasswordHasher.hash(pair.substring(colon + 1))));
        }
        return viewers;
    }

    /** Lines {@code username:role:password} (role admin or viewer); blank lines and # comments skipped. */
    static List<UserAccount> usersFile(Path file) {
        List<UserAccount> accounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split(":", 3);
                if (parts.length != 3 || parts[0].isBlank() || parts[2].isEmpty()) {
                    throw new ConfigException("LLMLB_USERS_FILE lines must be username:role:password");
                }
                try {
                    accounts.add(new UserAccount(parts[0].trim(), Role.fromWire(parts[1].strip()), PasswordHasher.hash(parts[2])));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("LLMLB_USERS_FILE role must be admin or viewer, not " + parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read LLMLB_USERS_FILE " + file, e);
        }
        return accounts;
    }

    /** A one-line description for the start-up log, secrets masked. */
    public String describe() {
        return "query-api: " + kafka.describe() + " listen="
                + host + ":" + port + " users=" + users.stream().map(u -> u.username() + "(" + u.role().wireName() + ")").toList()
                + " jwt-secret=****** jwt-ttl=" + jwtTtl.toSeconds() + "s max-nodes=" + maxNodes
                + " enrollment=" + (enrollmentKey == null ? "off" : "on (key ******)") + " " + limits.describe()
                + " grafana=" + (grafanaUrl == null ? "none" : grafanaUrl);
    }
}
