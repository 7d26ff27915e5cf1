package io.llmlb.health.query;

import io.helidon.webserver.http.HttpRouting;
import io.llmlb.health.kafka.RegistryCache;
import io.llmlb.health.kafka.TopicBootstrap;
import io.llmlb.health.query.admin.EnrollmentExpiry;
import io.llmlb.health.query.admin.KafkaRegistryWriter;
import io.llmlb.health.query.admin.NodeAdmin;
import io.llmlb.health.query.auth.JwtService;
import io.llmlb.health.query.auth.LoginThrottle;
import io.llmlb.health.query.auth.PasswordCheckPool;
import io.llmlb.health.query.auth.UserDirectory;
import io.llmlb.health.query.config.ClientLimits;
import io.llmlb.health.query.config.QueryApiConfig;
import io.llmlb.health.query.history.FleetHistory;
import io.llmlb.health.query.history.HistoryRecorder;
import io.llmlb.health.query.history.NodeMetricHistory;
import io.llmlb.health.query.http.AuthService;
import io.llmlb.health.query.http.Authenticator;
import io.llmlb.health.query.http.ClientAddresses;
import io.llmlb.health.query.http.DashboardService;
import io.llmlb.health.query.http.EnrollmentKeyCheck;
import io.llmlb.health.query.http.EventsService;
import io.llmlb.health.query.http.HistoryService;
import io.llmlb.health.query.http.NodeSupervisionService;
import io.llmlb.health.query.http.NodesService;
import io.llmlb.health.query.http.OverviewService;
import io.llmlb.health.query.view.DetectorHolds;
import io.llmlb.health.query.view.KafkaNodeView;
import io.llmlb.health.query.view.NodeView;
import io.llmlb.health.query.view.RegistryStrings;
import io.llmlb.health.query.view.TransitionHistory;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/** The query API's parts, wired: registry cache and writer, the node view, HTTP services. */
public final class QueryApiApp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(QueryApiApp.class.getName());

    private final RegistryCache registry;
    private final KafkaRegistryWriter writer;
    private final KafkaNodeView view;
    private final AuthService authService;
    private final NodesService nodesService;
    private final NodeSupervisionService supervisionService;
    private final TransitionHistory transitions;
    private final EventsService eventsService;
    private final DashboardService dashboardService;
    private final PasswordCheckPool passwordChecks;
    private final EnrollmentExpiry enrollmentExpiry;
    private final DetectorHolds detectorHolds;
    private final HistoryService historyService;
    private final OverviewService overviewService;

    private QueryApiApp(QueryApiConfig config, RegistryCache registry, KafkaNodeView view, Clock clock,
                        FleetHistory fleetHistory, NodeMetricHistory nodeHistory, HistoryRecorder recorder) {
        this.registry = registry;
        this.writer = new KafkaRegistryWriter(config.kafka(), registry);
        this.view = view;
        ClientLimits limits = config.limits();
        JwtService jwt = new JwtService(config.jwtSecret(), config.jwtTtl(), clock);
        UserDirectory users = new UserDirectory(config.users());
        Authenticator authenticator = new Authenticator(jwt, users);
        ClientAddresses clients = new ClientAddresses(limits.trustedProxies());
        this.passwordChecks = new PasswordCheckPool(limits.loginThreads(), limits.loginQueue());
        this.authService = new AuthService(users, jwt, new LoginThrottle("logins", clock), passwordChecks, clients);
        this.transitions = TransitionHistory.start(config.kafka(), "llmlb-query-api-transitions",
                RegistryStrings.of(registry), recorder::onTransition);
        NodeAdmin admin = new NodeAdmin(registry, writer, config.maxNodes(), limits.maxPendingEnrolled(), clock);
        this.enrollmentExpiry = EnrollmentExpiry.start(admin, limits.pendingEnrolledExpiry());
        this.nodesService = new NodesService(authenticator, view.view(), transitions, admin,
                new EnrollmentKeyCheck(config.enrollmentKey(), new LoginThrottle("enrollment keys", clock), clients),
                clock);
        this.supervisionService = new NodeSupervisionService(authenticator, admin);
        this.dashboardService = new DashboardService();
        this.detectorHolds = DetectorHolds.start(config.kafka(), "llmlb-query-api-detector");
        this.historyService = new HistoryService(authenticator, view.view(), transitions, fleetHistory, nodeHistory,
                clock);
        this.overviewService = new OverviewService(authenticator, detectorHolds::summary, config.grafanaUrl());
        this.eventsService = new EventsService(authenticator, view.view(), limits.eventStreamsPerUser(), clock);
    }

    /** Connects to Kafka, reads the registry and starts the node view. */
    public static QueryApiApp start(QueryApiConfig config) throws InterruptedException {
        LOG.info(config.describe());
        if (config.defaultAdminPassword()) {
            LOG.warning("the admin user still has the default password 'test': set LLMLB_ADMIN_PASSWORD");
        }
        TopicBootstrap.ensureTopics(config.kafka(), Duration.ofSeconds(60));
        RegistryCache registry = RegistryCache.start(config.kafka(), "llmlb-query-api-registry");
        if (!registry.awaitCaughtUp(Duration.ofSeconds(60))) {
            LOG.warning("node registry not fully read after 60 s");
        }
        Clock clock = Clock.systemUTC();
        FleetHistory fleetHistory = new FleetHistory(clock);
        NodeMetricHistory nodeHistory = new NodeMetricHistory(clock);
        HistoryRecorder recorder = new HistoryRecorder(nodeHistory, fleetHistory);
        KafkaNodeView view = null;
        try {
            // The history listens from the first record on: what the compacted topic still holds
            // beyond each node's latest state is replayed into it.
            view = KafkaNodeView.start(config.kafka(), "llmlb-query-api-view", RegistryStrings.of(registry), recorder);
            return new QueryApiApp(config, registry, view, clock, fleetHistory, nodeHistory, recorder);
        } catch (RuntimeException e) {
            if (view != null) {
                view.close();
            }
            registry.close();
            throw e;
        }
    }

    /** Adds the query API's routes to {@code routing}. */
    public void routing(HttpRouting.Builder routing) {
        routing.register(authService, nodesService, supervisionService, historyService, overviewService, eventsService, dashboardService);
    }

    /** The registry cache this app follows, for other parts of the same process to share. */
    public RegistryCache registry() {
        return registry;
    }

    /**
     * The one node view: {@code /metrics} reads it, and {@link NodeView#listen} hands every node
     * update to whoever keeps more (history) without a second consumer of node-state.
     */
    public NodeView nodeView() {
        return view.view();
    }

    /**
     * Whether the registry and the node view have read everything that was in their topics at start
     * and still follow them, and the transition history and the detector events are followed.
     */
    public boolean isReady() {
        return registry.isCaughtUp() && registry.isRunning() && view.isReady() && transitions.isRunning()
                && detectorHolds.isRunning();
    }

    @Override
    public void close() {
        enrollmentExpiry.close();
        passwordChecks.close();
        transitions.close();
        detectorHolds.close();
        view.close();
        writer.close();
        registry.close();
    }
}
