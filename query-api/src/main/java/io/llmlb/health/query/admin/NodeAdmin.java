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
import java.util.Map;
import java.util.UUID;

/**
 * Registration and the admin actions on nodes. Every action is a registry entry; the
 * state-processor turns it into the state transition. Actions are serialised per replica so
 * "exists?" and "write" cannot interleave.
 */
public final class NodeAdmin {

    /**
     * With several query-api replicas behind the gateway, a node registered through one replica
     * a moment ago may not be read yet by the one that gets the next request: before answering
     * 404 it waits this long for its registry to catch up.
     */
    private static final Duration FRESH_REGISTRY_PATIENCE = Duration.ofSeconds(2);

    private final RegistryView registry;
    private final RegistryWriter writer;
    private final int maxNodes;
    private final Clock clock;

    public NodeAdmin(RegistryView registry, RegistryWriter writer, int maxNodes, Clock clock) {
        this.registry = registry;
        this.writer = writer;
        this.maxNodes = maxNodes;
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

    /** Registers a new, pending node; {@code nodeId} null means "assign one". */
    public synchronized IssuedToken register(String nodeId, String machineName, Map<String, String> labels) {
        String id = nodeId == null ? "node-" + UUID.randomUUID().toString().substring(0, 8) : nodeId;
        if (registry.byNodeId(id).isPresent()) {
            throw ApiException.conflict("node " + id + " is already registered");
        }
        if (registry.size() >= maxNodes) {
            throw ApiException.conflict("the fleet is full: " + maxNodes + " nodes are registered (LLMLB_MAX_NODES)");
        }
        String token = NodeTokens.newToken();
        Instant registeredAt = now();
        writer.write(new Registration(id, NodeTokens.sha256Hex(token), false, machineName,
                labels == null ? Map.of() : Map.copyOf(labels), registeredAt, RegistryCommand.REGISTERED, registeredAt));
        return new IssuedToken(id, token);
    }

    /** pending → online. */
    public synchronized NodeStatus approve(String nodeId) {
        Registration registration = existing(nodeId);
        if (registration.approved()) {
            throw ApiException.conflict("node " + nodeId + " is not pending: it was already approved");
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
