package io.llmlb.health.query.http;

import io.llmlb.health.http.server.GuardedServer;
import io.llmlb.health.http.server.ServerLimits;
import io.llmlb.health.query.admin.NodeAdmin;
import io.llmlb.health.query.admin.RegistryWriter;
import io.llmlb.health.query.auth.JwtService;
import io.llmlb.health.query.auth.LoginThrottle;
import io.llmlb.health.query.auth.PasswordCheckPool;
import io.llmlb.health.query.auth.PasswordHasher;
import io.llmlb.health.query.auth.Role;
import io.llmlb.health.query.auth.UserAccount;
import io.llmlb.health.query.auth.UserDirectory;
import io.llmlb.health.query.view.NodeView;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The query API's login and node routes on a real Helidon server over a real socket, with the
 * registry and the node view in memory: HTTP tests without Kafka (the end-to-end tests on the real
 * broker live in the standalone module).
 */
final class ApiServer implements AutoCloseable {

    static final byte[] SECRET = "api-server-test-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);

    /** What a test varies. */
    record Settings(List<UserAccount> users, String trustedProxies, String enrollmentKey, int loginThreads,
                    int loginQueue, int maxNodes, int maxPendingEnrolled, Clock clock) {

        Settings withUsers(List<UserAccount> newUsers) {
            return new Settings(newUsers, trustedProxies, enrollmentKey, loginThreads, loginQueue, maxNodes,
                    maxPendingEnrolled, clock);
        }

        Settings withTrustedProxies(String proxies) {
            return new Settings(users, proxies, enrollmentKey, loginThreads, loginQueue, maxNodes, maxPendingEnrolled,
                    clock);
        }

        Settings withLoginPool(int threads, int queue) {
            return new Settings(users, trustedProxies, enrollmentKey, threads, queue, maxNodes, maxPendingEnrolled, clock);
        }

        Settings withFleet(int nodes, int pendingEnrolled) {
            return new Settings(users, trustedProxies, enrollmentKey, loginThreads, loginQueue, nodes, pendingEnrolled,
                    clock);
        }

        Settings withoutEnrollment() {
            return new Settings(users, trustedProxies, null, loginThreads, loginQueue, maxNodes, maxPendingEnrolled,
                    clock);
        }

        Settings withClock(Clock newClock) {
            return new Settings(users, trustedProxies, enrollmentKey, loginThreads, loginQueue, maxNodes,
                    maxPendingEnrolled, newClock);
        }
    }

    static final String ENROLLMENT_KEY = "enrollment-key-for-http-tests";

    /** admin/test and the viewer alice/alice-pass; no proxy trusted; the documented defaults otherwise. */
    static Settings defaults() {
        return new Settings(List.of(Users.ADMIN, Users.ALICE), null, ENROLLMENT_KEY, 1, 16, 1000, 100,
                Clock.systemUTC());
    }

    /** Accounts with their passwords hashed once per test run (hashing is the slow part). */
    static final class Users {
        static final UserAccount ADMIN = account("admin", Role.ADMIN, "test");
        static final UserAccount ALICE = account("alice", Role.VIEWER, "alice-pass");

        static UserAccount account(String name, Role role, String password) {
            return new UserAccount(name, role, PasswordHasher.hash(password));
        }
    }

    private final GuardedServer server;
    private final PasswordCheckPool passwordChecks;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final InMemoryRegistry registry = new InMemoryRegistry();
    final NodeView view = readyView();
    final NodeAdmin admin;
    final JwtService jwt;

    ApiServer(Settings settings) {
        jwt = new JwtService(SECRET, Duration.ofHours(1), settings.clock());
        UserDirectory users = new UserDirectory(settings.users());
        ClientAddresses clients = new ClientAddresses(TrustedProxies.parse(settings.trustedProxies()));
        passwordChecks = new PasswordCheckPool(settings.loginThreads(), settings.loginQueue());
        admin = new NodeAdmin(registry, new MirroredRegistry(registry, view), settings.maxNodes(), settings.maxPendingEnrolled(), settings.clock());
        Authenticator authenticator = new Authenticator(jwt, users);
        AuthService auth = new AuthService(users, jwt, new LoginThrottle("logins", settings.clock()), passwordChecks,
                clients);
        NodesService nodes = new NodesService(authenticator, view, nodeId -> List.of(), admin,
                new EnrollmentKeyCheck(settings.enrollmentKey(), new LoginThrottle("enrollment keys", settings.clock()),
                        clients),
                settings.clock());
        // The server every service runs on (error mapping, limits), as in production.
        server = GuardedServer.start("127.0.0.1", 0, "LLMLB_PORT", ServerLimits.defaults(),
                routing -> routing.register(auth, nodes, new NodeSupervisionService(authenticator, admin),
                        new EventsService(authenticator, view, 4, settings.clock())),
                port -> { });
    }

    /** The node view in memory, read to the end and empty until a test puts nodes in. */
    private static NodeView readyView() {
        NodeView view = new NodeView();
        view.markCaughtUp();
        return view;
    }

    int port() {
        return server.port();
    }

    /** A request over the socket; {@code headers} as name, value pairs. */
    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST /v0/auth/login}, with extra headers (X-Forwarded-For) if given. */
    HttpResponse<String> login(String username, String password, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send("POST", "/v0/auth/login", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}",
                all);
    }

    @Override
    public void close() {
        server.close();
        passwordChecks.close();
    }

    /**
     * The registry's writes, mirrored into the node view as the state-processor would show nodes
     * that never beat: each registered node as registered, gone when deleted. Most of these tests
     * are about who may do what, not about state changes; those that are put states in the view.
     */
    private record MirroredRegistry(InMemoryRegistry registry, NodeView view) implements RegistryWriter {
        @Override
        public void write(Registration registration) {
            registry.write(registration);
            view.put(NodeState.registered(registration));
        }

        @Override
        public void delete(String nodeId) {
            registry.delete(nodeId);
            view.remove(nodeId);
        }
    }
}
