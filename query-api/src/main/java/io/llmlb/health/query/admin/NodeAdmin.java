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
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Registration and the admin actions on nodes. Every action is a registry entry; the
 * state-processor turns it into the state transition. Actions on one node are serialised per
 * replica (a lock stripe by node id), so "exists?" and "write" cannot interleave; actions on
 * different nodes run side by side, because each waits for its Kafka write and for the registry
 * to read it back (a single lock made a fleet register at one node per write round trip, about
 * 3 a second on a loaded host). The fleet caps count the places that writes in flight will take.
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
     * 404 it waits for its registry to reach the registry topic's end (a few hundred ms), at
     * most this long. 2 s was too short once in CI, on a machine busy building images.
     */
    private static final Duration FRESH_REGISTRY_PATIENCE = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(NodeAdmin.class.getName());
    /** Lock stripes for per-node actions: enough that parallel admin requests rarely share one. */
    private static final int LOCK_STRIPES = 64;
    /** A node's own timeout: the seed's range of {@code LLMLB_NODE_TIMEOUT}. */
    public static final int MIN_TIMEOUT_SECS = Registration.MIN_TIMEOUT_SECS;
    public static final int MAX_TIMEOUT_SECS = Registration.MAX_TIMEOUT_SECS;

    private final RegistryView registry;
    private final RegistryWriter writer;
    private final int maxNodes;
    private final int maxPendingEnrolled;
    private final Clock clock;
    private final Object[] nodeLocks = new Object[LOCK_STRIPES];
    /** Guards the two reservation counts and the cap checks that read them. */
    private final Object capsLock = new Object();
    /** Fleet places taken by registrations and enrolled approvals whose write is in flight. */
    private int fleetPlacesInFlight;
    /** Self-enrolled registrations whose write is in flight. */
    private int enrolmentsInFlight;

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
        for (int i = 0; i < LOCK_STRIPES; i++) {
            nodeLocks[i] = new Object();
        }
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
    public IssuedToken register(String nodeId, String machineName, Map<String, String> labels,
                                boolean selfEnrolled) {
        String id = nodeId == null ? "node-" + UUID.randomUUID().toString().substring(0, 8) : nodeId;
        synchronized (lockOf(id)) {
            if (registry.byNodeId(id).isPresent()) {
                throw ApiException.conflict("node " + id + " is already registered");
            }
            reservePlaces(selfEnrolled, true);
            try {
                String token = NodeTokens.newToken();
                Instant registeredAt = now();
                writer.write(new Registration(id, NodeTokens.sha256Hex(token), false, machineName,
                        labels == null ? Map.of() : Map.copyOf(labels), registeredAt, RegistryCommand.REGISTERED,
                        registeredAt, selfEnrolled));
                return new IssuedToken(id, token);
            } finally {
                // The write returned once this replica's registry read it back: the registry counts it now.
                releasePlaces(selfEnrolled, true);
            }
        }
    }

    /** pending → online. */
    public NodeStatus approve(String nodeId) {
        return withNode(nodeId, registration -> {
            if (registration.approved()) {
                throw ApiException.conflict("node " + nodeId + " is not pending: it was already approved");
            }
            // A self-enrolled node joins the fleet only now.
            boolean joins = registration.selfEnrolled();
            reservePlaces(false, joins);
            try {
                writer.write(registration.with(RegistryCommand.APPROVED, now()));
            } finally {
                releasePlaces(false, joins);
            }
            return NodeStatus.ONLINE;
        });
    }

    /** Forces an approved node offline until its next heartbeat. */
    public NodeStatus disconnect(String nodeId) {
        return withNode(nodeId, registration -> {
            if (!registration.approved()) {
                throw ApiException.conflict("node " + nodeId + " is pending; approve or delete it instead");
            }
            writer.write(registration.with(RegistryCommand.DISCONNECTED, now()));
            return NodeStatus.OFFLINE;
        });
    }

    /**
     * Puts the node in maintenance ({@code on}) or takes it out: no timeout verdict meanwhile. Asking
     * for the state the node is already in writes nothing (a retried request changes nothing).
     *
     * @return whether the node is in maintenance now
     */
    public boolean maintenance(String nodeId, boolean on) {
        return withNode(nodeId, registration -> {
            if (registration.maintenance() != on) {
                writer.write(registration.withMaintenance(on, now()));
            }
            return on;
        });
    }

    /**
     * Sets the node's own timeout, or with 0 goes back to the fleet's {@code LLMLB_NODE_TIMEOUT}.
     * The caller checked the range ({@link #MIN_TIMEOUT_SECS}..{@link #MAX_TIMEOUT_SECS}).
     */
    public void timeout(String nodeId, int timeoutSecs) {
        withNode(nodeId, registration -> {
            if (registration.timeoutSecs() != timeoutSecs) {
                writer.write(registration.withTimeoutSecs(timeoutSecs, now()));
            }
            return null;
        });
    }

    /** Deletes the node: its token dies and it leaves every view. */
    public void delete(String nodeId) {
        withNode(nodeId, registration -> {
            writer.delete(nodeId);
            return null;
        });
    }

    /** Issues a new token; the old one stops working once the registry change is read. */
    public IssuedToken rotateToken(String nodeId) {
        return withNode(nodeId, registration -> {
            String token = NodeTokens.newToken();
            writer.write(registration.withToken(NodeTokens.sha256Hex(token), now()));
            return new IssuedToken(nodeId, token);
        });
    }

    /**
     * Deletes the self-enrolled nodes nobody approved within {@code expiry} of their registration.
     *
     * @return the ids deleted
     */
    public List<String> deleteUnapprovedEnrollments(Duration expiry) {
        Instant now = clock.instant();
        List<String> deleted = new ArrayList<>();
        for (Registration candidate : registry.all()) {
            if (!isExpiredEnrolment(candidate, expiry, now)) {
                continue;
            }
            String nodeId = candidate.nodeId();
            synchronized (lockOf(nodeId)) {
                // Looked at again under the node's lock: an admin may have approved it meanwhile.
                Registration registration = registry.byNodeId(nodeId).orElse(null);
                if (registration != null && isExpiredEnrolment(registration, expiry, now)) {
                    writer.delete(nodeId);
                    deleted.add(nodeId);
                    LOG.info("deleted self-enrolled node " + nodeId + ": not approved within "
                            + expiry.toSeconds() + " s of its registration (LLMLB_PENDING_ENROLLED_EXPIRY)");
                }
            }
        }
        return deleted;
    }

    private static boolean isExpiredEnrolment(Registration registration, Duration expiry, Instant now) {
        return registration.pendingSelfEnrolled() && !registration.registeredAt().plus(expiry).isAfter(now);
    }

    private int pendingSelfEnrolled() {
        return (int) registry.all().stream().filter(Registration::pendingSelfEnrolled).count();
    }

    /**
     * Takes a fleet place ({@code fleetPlace}) and an enrolment place ({@code enrolment}) for a
     * write about to be made, or refuses with 409 when a cap would be passed counting the writes
     * already in flight. Every registration needs a fleet place, as before this class counted
     * writes in flight; an approval needs one only for a self-enrolled node. A self-enrolled
     * registration needs a fleet place free but does not take it: it waits outside the fleet.
     */
    private void reservePlaces(boolean enrolment, boolean fleetPlace) {
        synchronized (capsLock) {
            int waiting = pendingSelfEnrolled();
            // A write that completed is in the registry a moment before its place is released here,
            // so at the very edge of a cap a parallel request may be refused once too early, never
            // let through once too many.
            if (fleetPlace && registry.size() - waiting + fleetPlacesInFlight >= maxNodes) {
                throw ApiException.conflict("the fleet is full: " + maxNodes + " nodes are registered (LLMLB_MAX_NODES)");
            }
            if (enrolment && waiting + enrolmentsInFlight >= maxPendingEnrolled) {
                throw ApiException.conflict(waiting + " self-enrolled nodes already wait for approval"
                        + " (LLMLB_MAX_PENDING_ENROLLED); an admin must approve or delete some first");
            }
            if (enrolment) {
                enrolmentsInFlight++;
            } else if (fleetPlace) {
                fleetPlacesInFlight++;
            }
        }
    }

    private void releasePlaces(boolean enrolment, boolean fleetPlace) {
        synchronized (capsLock) {
            if (enrolment) {
                enrolmentsInFlight--;
            } else if (fleetPlace) {
                fleetPlacesInFlight--;
            }
        }
    }

    private Object lockOf(String nodeId) {
        return nodeLocks[Math.floorMod(nodeId.hashCode(), LOCK_STRIPES)];
    }

    /** Kafka timestamps are milliseconds; so are the times we publish. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Runs {@code action} on the node's registration under the node's lock, after waiting (without
     * any lock) for a registry that may not have read another replica's write yet; 404 when unknown.
     */
    private <T> T withNode(String nodeId, Function<Registration, T> action) {
        awaitKnown(nodeId);
        synchronized (lockOf(nodeId)) {
            return action.apply(existing(nodeId));
        }
    }

    /**
     * Checks the id; an unknown node may have been registered through another replica a moment
     * ago and not be read here yet, so this waits (without holding any lock) for the registry.
     */
    private void awaitKnown(String nodeId) {
        NodeIds.require("id", nodeId);
        if (registry.byNodeId(nodeId).isEmpty()) {
            awaitFreshRegistry();
        }
    }

    /** The node's registration, read under its lock after {@link #awaitKnown}; 404 when there is none. */
    private Registration existing(String nodeId) {
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
