package io.llmlb.health.agent;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;

/**
 * The heartbeat sender of one node: sends a heartbeat at once, then every interval; on failure
 * retries with exponential backoff and full jitter, honouring Retry-After. Without a token it
 * enrolls with the enrollment key and keeps the token in the token file for the next start.
 *
 * <p>Stopping it is the seed's failure simulation ({@code pkill -f xllm}): the node simply falls
 * silent and the server declares it offline after the timeout; a new agent for the same node
 * brings it back online with its first heartbeat.
 */
public final class HeartbeatAgent {

    private static final Logger LOG = Logger.getLogger(HeartbeatAgent.class.getName());

    private final AgentConfig config;
    private final AgentLog log;
    private final NodeClient client;
    private final MetricsProbe probe;
    private final TokenStore tokenStore;
    private final Backoff backoff;
    private final FailureTracker failures;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong acknowledged = new AtomicLong();
    private Thread thread;
    private String token;
    /** The node heartbeats are sent for: configured, or learnt from the server for the token. */
    private volatile String nodeId;
    /** Why the agent gave up (a permanent refusal), or null. */
    private volatile String failure;

    /** An agent logging through java.util.logging. */
    public HeartbeatAgent(AgentConfig config) {
        this(config, AgentLog.of(LOG), new SplittableRandom(), Clock.systemUTC());
    }

    /** An agent with its log, randomness and clock given (tests). */
    public HeartbeatAgent(AgentConfig config, AgentLog log, RandomGenerator random, Clock clock) {
        this.config = config;
        this.log = log;
        this.client = new NodeClient(config.baseUrl(), config.requestTimeout());
        OnceLog probeLog = new OnceLog(log::warn);
        this.probe = new MetricsProbe(config, new CommandRunner(Duration.ofSeconds(5)), probeLog);
        this.tokenStore = new TokenStore(config.tokenFile(), log::warn);
        this.backoff = new Backoff(config.backoffBase(), config.backoffCap(), random);
        this.failures = new FailureTracker(log, clock);
        this.nodeId = config.nodeId();
    }

    /** Starts sending on a thread of its own; returns at once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("an agent starts once; create a new one to start again");
        }
        token = config.token() != null ? config.token() : tokenStore.load(nodeId).orElse(null);
        if (token == null && config.enrollmentKey() == null) {
            throw new IllegalStateException("no node token: set XLLM_TOKEN, or LLMLB_ENROLLMENT_KEY so the node can "
                    + "register itself (its token is then kept in " + config.tokenFile() + ")");
        }
        log.info(config.describe());
        thread = Thread.ofPlatform().name("llmlb-agent-" + (nodeId == null ? "token" : nodeId)).daemon().start(this::run);
    }

    /** Stops sending (no goodbye is sent: the server notices the silence) and waits for the thread. */
    public void stop() {
        stopRequested.countDown();
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.interrupt();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Blocks until the agent has stopped. */
    public void awaitStopped() throws InterruptedException {
        finished.await();
    }

    /**
     * Why the agent stopped by itself: the server refused its token or node for good (401, 403),
     * which retrying cannot change. Empty while it runs or when it was stopped.
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The node id in use: configured, or learnt from the server (null until then). */
    public String nodeId() {
        return nodeId;
    }

    /** Heartbeats the server answered 200 to. */
    public long heartbeatsAcknowledged() {
        return acknowledged.get();
    }

    private void run() {
        try {
            Duration wait = Duration.ZERO;
            while (failure == null && pause(wait)) {
                wait = token == null ? enroll() : nodeId == null ? learnNodeId() : beat();
            }
        } finally {
            log.info("agent for node " + (nodeId == null ? "(unknown)" : nodeId) + " stopped");
            finished.countDown();
        }
    }

    /** Asks the server which node the token belongs to; returns how long to wait before the next step. */
    private Duration learnNodeId() {
        HeartbeatClient.Answer answer;
        try {
            answer = client.whoAmI(token);
        } catch (IOException e) {
            return failed(ioKind(e), "cannot reach " + config.baseUrl() + " (" + describe(e) + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Duration.ZERO;
        }
        if (answer.ok() && answer.field("node_id") != null) {
            nodeId = answer.field("node_id");
            log.info("the node token belongs to node " + nodeId + "; heartbeats are sent for it");
            return Duration.ZERO;
        }
        return switch (answer.status()) {
            case 401, 403 -> giveUp("the server refused the node token (" + answer.status() + ": " + answer.error()
                    + "); check XLLM_TOKEN (a rotated or deleted node's token no longer works)");
            case 503, 429 -> failed("busy-" + answer.status(), "server busy (" + answer.status() + ")",
                    answer.retryAfter() == null ? config.backoffBase() : answer.retryAfter());
            // An older server without GET /v0/health: the node id must be given.
            case 404, 405 -> giveUp("the server cannot tell which node the token belongs to (" + answer.status()
                    + "); set XLLM_NODE_ID");
            default -> failed("server-" + answer.status(), "cannot learn the node id (" + answer.status() + ": "
                    + answer.error() + ")", null);
        };
    }

    /** A refusal retrying cannot change: logged once, the agent stops and its main exits non-zero. */
    private Duration giveUp(String reason) {
        failure = reason;
        log.warn("giving up: " + reason);
        return Duration.ZERO;
    }

    /** Sends one heartbeat; returns how long to wait before the next attempt. */
    private Duration beat() {
        long started = System.nanoTime();
        HeartbeatClient.Answer answer;
        try {
            answer = client.heartbeat(token, probe.collect(nodeId));
        } catch (IOException e) {
            return failed(ioKind(e), "cannot reach " + config.baseUrl() + " (" + describe(e) + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Duration.ZERO;
        }
        if (answer.ok()) {
            acknowledged.incrementAndGet();
            failures.succeeded();
            Duration spent = Duration.ofNanos(System.nanoTime() - started);
            Duration rest = config.heartbeatInterval().minus(spent);
            return rest.isNegative() ? Duration.ZERO : rest;
        }
        return switch (answer.verdict()) {
            case BUSY -> failed("busy-" + answer.status(), "server busy (" + answer.status() + ": "
                    + answer.error() + ")", answer.retryAfter() == null ? config.backoffBase() : answer.retryAfter());
            case SERVER_ERROR -> failed("server-" + answer.status(), "server error " + answer.status() + ": "
                    + answer.error(), null);
            case REFUSED -> refused(answer);
            case ACCEPTED -> throw new IllegalStateException("handled above");
        };
    }

    /** A heartbeat the server refused: a bad token or node stops the agent, a bad body waits. */
    private Duration refused(HeartbeatClient.Answer answer) {
        return switch (answer.status()) {
            case 401 -> tokenRejected(answer);
            case 403 -> giveUp("the server refused heartbeats for node " + nodeId + " (403: " + answer.error()
                    + "); unset XLLM_NODE_ID to send for the token's own node, or use that node's token");
            // The server refused this heartbeat's content: retrying at once cannot help.
            default -> slowFailed("refused-" + answer.status(), "heartbeat refused (" + answer.status() + ": "
                    + answer.error() + ")");
        };
    }

    private Duration tokenRejected(HeartbeatClient.Answer answer) {
        if (config.enrollmentKey() != null && config.token() == null) {
            // Our stored token no longer works: the node may have been deleted, so enroll again.
            // If it still exists the server says 409 and we keep the token (a fresh registration
            // may simply not have reached ingest yet).
            return enroll();
        }
        return giveUp("node token rejected (401: " + answer.error() + "); check XLLM_TOKEN or the token file "
                + config.tokenFile());
    }

    /** Registers the node with the enrollment key and stores its token. */
    private Duration enroll() {
        HeartbeatClient.Answer answer;
        try {
            answer = client.enroll(config.enrollmentKey(), nodeId, config.machineName(), config.labels());
        } catch (IOException e) {
            return failed(ioKind(e), "cannot reach " + config.baseUrl() + " to register (" + describe(e) + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Duration.ZERO;
        }
        if (answer.status() == 201) {
            token = answer.field("node_token");
            try {
                tokenStore.save(nodeId, token);
            } catch (java.io.UncheckedIOException e) {
                // The node works now; only the next start will lack the token. Say how to fix that.
                log.warn(e.getMessage() + " (" + e.getCause().getMessage() + "); heartbeats continue, but the next"
                        + " start needs XLLM_TOKEN or an admin to rotate the token: POST /v0/nodes/"
                        + nodeId + "/token");
            }
            failures.succeeded();
            log.info("registered node " + nodeId + " with the enrollment key; state "
                    + answer.field("state") + " (an admin approves it: POST /v0/nodes/" + nodeId
                    + "/approve); token kept in " + tokenStore.file() + " (mode 0600)");
            return Duration.ZERO;
        }
        if (answer.status() == 409 && token != null) {
            return failed("token", "node token rejected and node " + nodeId + " is still registered ("
                    + answer.error() + "); waiting for the registration to arrive or an admin to rotate the token", null);
        }
        if (answer.status() == 503 || answer.status() == 429) {
            return failed("busy-" + answer.status(), "server busy at registration (" + answer.status() + ")",
                    answer.retryAfter());
        }
        return slowFailed("enroll-" + answer.status(), "registration refused (" + answer.status() + ": "
                + answer.error() + ")");
    }

    private Duration failed(String kind, String detail, Duration retryAfter) {
        Duration next = backoff.delay(failures.consecutiveFailures() + 1, retryAfter);
        failures.failed(kind, detail, next);
        return next;
    }

    /** A failure retrying cannot fix quickly: wait at least a heartbeat interval. */
    private Duration slowFailed(String kind, String detail) {
        Duration next = backoff.delay(failures.consecutiveFailures() + 1, null);
        if (next.compareTo(config.heartbeatInterval()) < 0) {
            next = config.heartbeatInterval();
        }
        failures.failed(kind, detail, next);
        return next;
    }

    /** Waits {@code wait}; false when the agent was stopped meanwhile. */
    private boolean pause(Duration wait) {
        try {
            return !stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static String ioKind(IOException e) {
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
            return "unreachable";
        }
        return e instanceof HttpTimeoutException ? "timeout" : "io-" + e.getClass().getSimpleName();
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
