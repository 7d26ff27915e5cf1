package io.llmlb.health.query.admin;

import io.llmlb.health.http.ApiException;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.NodeStatus;
import io.llmlb.health.wire.NodeTokens;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.RegistryView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Registration and the admin actions on nodes. Every action is a registry entry; the
 * state-processor turns it into the state transition. Actions are serialised per replica so
 * "exists?" and "write" cannot interleave.
 *
 * <p>Self-enrolled nodes waiting for approval live apart from the fleet: they count against their
 * own cap ({@code LLMLB_MAX_PENDING_ENROLLED}), not against {@code LLMLB_MAX_NODES}, and are deleted
 * when nobody approved them in time. So holders of the enrollment key can never fill the fleet:
 * the admin can always register up to the fleet limit, and approving an enrolled node needs a place
 * in the fleet like any registration.
 */
public final class NodeAdmin {

    /**
     * With several query-api replicas behind the gateway, a node registered through one replica
     * a moment ago may not be read yet by the one that gets the next request: before answering
     * 404 it waits this long for its registry to catch up.
     */
    private static final Duration FRESH_REGISTRY_PATIENCE = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(NodeAdmin.class.getName());
    /** A node's own timeout: the seed's range of {@code LLMLB_NODE_TIMEOUT}. */
    public static final int MIN_TIMEOUT_SECS = Registration.MIN_TIMEOUT_SECS;
    public static final int MAX_TIMEOUT_SECS = Registration.MAX_TIMEOUT_SECS;

    private final RegistryView registry;
    private final RegistryWriter writer;
    private final int maxNodes;
    private final int maxPendingEnrolled;
    private final Clock clock;

    /**
     * @param maxNodes {@code LLMLB_MAX_NODES}: nodes in the fleet (self-enrolled nodes waiting for
     *        approval not counted)
     * @param maxPendingEnrolled {@code LLMLB_MAX_PENDING_ENROLLED}: self-enrolled nodes waiting at most
     */
    public NodeAdmin(RegistryView registry, RegistryWriter writer, int maxNodes, int maxPendingEnrolled, Clock clock) {
        this.registry = registry;
        this.writer = writer;
        this.maxNodes = maxNodes;
        this.maxPendingEnrolled = maxPendingEnrolled;
        this.clock = clock;
    }

    /**
     * The result of a registration or token rotation: the token is shown this once.
     *
     * @param nodeId the node
     * @param nodeToken the new token in plain text
     */
    public record IssuedToken(String nodeId, String nodeToken) {
    }

    /**
     * Registers a new, pending node; {@code nodeId} null means "assign one".
     *
     * @param selfEnrolled whether the node registers itself with the enrollment key (else an admin does)
     */
    public synchronized IssuedToken register(String nodeId, String machineName, Map<String, String> labels,
                                             boolean selfEnrolled) {
        String id = nodeId == null ? "node-" + UUID.randomUUID().toString().substring(0, 8) : nodeId;
        if (registry.byNodeId(id).isPresent()) {
            throw ApiException.conflict("node " + id + " is already registered");
        }
        int waiting = pendingSelfEnrolled();
        requireFleetPlace(registry.size() - waiting);
        if (selfEnrolled && waiting >= maxPendingEnrolled) {
            throw ApiException.conflict(waiting + " self-enrolled nodes already wait for approval"
                    + " (LLMLB_MAX_PENDING_ENROLLED); an admin must approve or delete some first");
        }
        String token = NodeTokens.newToken();
        Instant registeredAt = now();
        writer.write(new Registration(id, NodeTokens.sha256Hex(token), false, machineName,
                labels == null ? Map.of() : Map.copyOf(labels), registeredAt, RegistryCommand.REGISTERED, registeredAt,
                selfEnrolled));
        return new IssuedToken(id, token);
    }

    /** pending → online. */
    public synchronized NodeStatus approve(String nodeId) {
        Registration registration = existing(nodeId);
        if (registration.approved()) {
            throw ApiException.conflict("node " + nodeId + " is not pending: it was already approved");
        }
        if (registration.selfEnrolled()) {
            // It joins the fleet only now.
            requireFleetPlace(registry.size() - pendingSelfEnrolled());
        }
        writer.write(registration.with(RegistryCommand.APPROVED, now()));
        return NodeStatus.ONLINE;
    }

    /** Forces an approved node offline until its next heartbeat. */
    public synchronized NodeStatus disconnect(String nodeId) {
        Registration registration = existing(nodeId);
        if (!registration.approved()) {
            throw ApiException.conflict("node " + nodeId + " is pending; approve or delete it instead");
        }
        writer.write(registration.with(RegistryCommand.DISCONNECTED, now()));
        return NodeStatus.OFFLINE;
    }

    /**
     * Puts the node in maintenance ({@code on}) or takes it out: no timeout verdict meanwhile. Asking
     * for the state the node is already in writes nothing (a retried request changes nothing).
     *
     * @return whether the node is in maintenance now
     */
    public synchronized boolean maintenance(String nodeId, boolean on) {
        Registration registration = existing(nodeId);
        if (registration.maintenance() != on) {
            writer.write(registration.withMaintenance(on, now()));
        }
        return on;
    }

    /**
     * Sets the node's own timeout, or with 0 goes back to the fleet's {@code LLMLB_NODE_TIMEOUT}.
     * The caller checked the range ({@link #MIN_TIMEOUT_SECS}..{@link #MAX_TIMEOUT_SECS}).
     */
    public synchronized void timeout(String nodeId, int timeoutSecs) {
        Registration registration = existing(nodeId);
        if (registration.timeoutSecs() != timeoutSecs) {
            writer.write(registration.withTimeoutSecs(timeoutSecs, now()));
        }
    }

    /** Deletes the node: its token dies and it leaves every view. */
    public synchronized void delete(String nodeId) {
        existing(nodeId);
        writer.delete(nodeId);
    }

    /** Issues a new token; the old one stops working once the registry change is read. */
    public synchronized IssuedToken rotateToken(String nodeId) {
        Registration registration = existing(nodeId);
        String token = NodeTokens.newToken();
        writer.write(registration.withToken(NodeTokens.sha256Hex(token), now()));
        return new IssuedToken(nodeId, token);
    }

    /**
     * Deletes the self-enrolled nodes nobody approved within {@code expiry} of their registration.
     *
     * @return the ids deleted
     */
    public synchronized List<String> deleteUnapprovedEnrollments(Duration expiry) {
        Instant now = clock.instant();
        List<String> deleted = new ArrayList<>();
        for (Registration registration : registry.all()) {
            if (registration.pendingSelfEnrolled() && !registration.registeredAt().plus(expiry).isAfter(now)) {
                writer.delete(registration.nodeId());
                deleted.add(registration.nodeId());
                LOG.info("deleted self-enrolled node " + registration.nodeId() + ": not approved within "
                        + expiry.toSeconds() + " s of its registration (LLMLB_PENDING_ENROLLED_EXPIRY)");
            }
        }
        return deleted;
    }

    private int pendingSelfEnrolled() {
        return (int) registry.all().stream().filter(Registration::pendingSelfEnrolled).count();
    }

    private void requireFleetPlace(int fleet) {
        if (fleet >= maxNodes) {
            throw ApiException.conflict("the fleet is full: " + maxNodes + " nodes are registered (LLMLB_MAX_NODES)");
        }
    }

    /** Kafka timestamps are milliseconds; so are the times we publish. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Registration existing(String nodeId) {
        NodeIds.require("id", nodeId);
        if (registry.byNodeId(nodeId).isEmpty()) {
            // Maybe registered through another replica a moment ago and not yet read here.
            awaitFreshRegistry();
        }
        return registry.byNodeId(nodeId).orElseThrow(() -> ApiException.notFound("node " + nodeId + " is not registered"));
    }

    private void awaitFreshRegistry() {
        try {
            registry.awaitFresh(FRESH_REGISTRY_PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
