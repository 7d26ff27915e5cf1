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
import io.llmlb.health.query.http.NodesService;
import io.llmlb.health.query.http.OverviewService;
import io.llmlb.health.query.view.DetectorHolds;
import io.llmlb.health.query.view.KafkaStreamsNodeStateReader;
import io.llmlb.health.query.view.NodeStateFeed;
import io.llmlb.health.query.view.NodeStateReader;
import io.llmlb.health.query.view.NodeViewTopology;
import io.llmlb.health.query.view.TransitionHistory;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/** The query API's parts, wired: registry cache and writer, the Kafka Streams view, HTTP services. */
public final class QueryApiApp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(QueryApiApp.class.getName());

    private final RegistryCache registry;
    private final KafkaRegistryWriter writer;
    private final KafkaStreams view;
    private final NodeStateReader nodeStates;
    private final AuthService authService;
    private final NodesService nodesService;
    private final TransitionHistory transitions;
    private final NodeStateFeed feed;
    private final EventsService eventsService;
    private final DashboardService dashboardService;
    private final PasswordCheckPool passwordChecks;
    private final EnrollmentExpiry enrollmentExpiry;
    private final DetectorHolds detectorHolds;
    private final HistoryService historyService;
    private final OverviewService overviewService;

    private QueryApiApp(QueryApiConfig config, RegistryCache registry, KafkaStreams view) {
        Clock clock = Clock.systemUTC();
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
        this.nodeStates = new KafkaStreamsNodeStateReader(view);
        FleetHistory fleetHistory = new FleetHistory(clock);
        NodeMetricHistory nodeHistory = new NodeMetricHistory(clock);
        HistoryRecorder recorder = new HistoryRecorder(nodeHistory, fleetHistory);
        this.transitions = TransitionHistory.start(config.kafka(), "llmlb-query-api-transitions", recorder::onTransition);
        NodeAdmin admin = new NodeAdmin(registry, writer, config.maxNodes(), limits.maxPendingEnrolled(), clock);
        this.enrollmentExpiry = EnrollmentExpiry.start(admin, limits.pendingEnrolledExpiry());
        this.nodesService = new NodesService(authenticator, nodeStates, transitions, admin,
                new EnrollmentKeyCheck(config.enrollmentKey(), new LoginThrottle("enrollment keys", clock), clients),
                clock);
        this.dashboardService = new DashboardService();
        this.feed = NodeStateFeed.start(config.kafka(), "llmlb-query-api-feed");
        // Subscribed for the life of the process; the snapshot seeds each node's ring.
        feed.subscribe(recorder).snapshot().forEach(nodeHistory::record);
        this.detectorHolds = DetectorHolds.start(config.kafka(), "llmlb-query-api-detector");
        this.historyService = new HistoryService(authenticator, nodeStates, transitions, fleetHistory, nodeHistory, clock);
        this.overviewService = new OverviewService(authenticator, detectorHolds::summary, config.grafanaUrl());
        this.eventsService = new EventsService(authenticator, feed, limits.eventStreamsPerUser(), clock);
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
        KafkaStreams view = new KafkaStreams(NodeViewTopology.build(config.kafka().topics()), viewProperties(config));
        try {
            view.start();
            return new QueryApiApp(config, registry, view);
        } catch (RuntimeException e) {
            view.close(Duration.ofSeconds(10));
            registry.close();
            throw e;
        }
    }

    private static Properties viewProperties(QueryApiConfig config) {
        Properties props = new Properties();
        props.putAll(config.kafka().clientProperties("llmlb-query-api-view"));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.kafka().topics().prefix() + "query-api");
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        // The state-processor writes node-state in transactions: show only committed states.
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        return props;
    }

    /** Adds the query API's routes to {@code routing}. */
    public void routing(HttpRouting.Builder routing) {
        routing.register(authService, nodesService, historyService, overviewService, eventsService, dashboardService);
    }

    /** The registry cache this app follows, for other parts of the same process to share. */
    public RegistryCache registry() {
        return registry;
    }

    /** The materialised node states, for metrics and live views. */
    public NodeStateReader nodeStates() {
        return nodeStates;
    }

    /** The Kafka Streams instance behind the node view, for its client metrics. */
    public KafkaStreams viewStreams() {
        return view;
    }

    /** Whether the registry, the live feed, the transition history and the detector events are followed and the node view is RUNNING. */
    public boolean isReady() {
        return registry.isCaughtUp() && registry.isRunning() && view.state() == KafkaStreams.State.RUNNING
                && feed.isRunning() && transitions.isRunning() && detectorHolds.isRunning();
    }

    @Override
    public void close() {
        enrollmentExpiry.close();
        passwordChecks.close();
        transitions.close();
        detectorHolds.close();
        feed.close();
        view.close(Duration.ofSeconds(30));
        writer.close();
        registry.close();
    }
}
