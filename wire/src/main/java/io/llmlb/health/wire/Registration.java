package io.llmlb.health.wire;

import java.time.Instant;
import java.util.Map;

/**
 * A node's entry in the compacted {@code node-registry} topic. The node token itself is never
 * stored: only its SHA-256.
 *
 * @param nodeId the node
 * @param tokenSha256 hex SHA-256 of the node token
 * @param approved whether an admin approved the node; only an approved node can be online
 * @param machineName optional host name given at registration
 * @param labels optional free-form labels given at registration
 * @param registeredAt when the node was registered
 * @param command the admin action this entry records
 * @param commandAt when that action happened
 * @param selfEnrolled whether the node registered itself with the enrollment key (absent in
 *        entries written before the field existed: false); until approved, such a node counts
 *        against its own cap and expires, not against the fleet limit
 * @param maintenance whether an admin put the node in maintenance (no timeout verdict meanwhile);
 *        absent in older entries: false
 * @param timeoutSecs the node's own timeout set by an admin (30..300 s), or 0 (absent) for the fleet's
 */
public record Registration(String nodeId,
                           String tokenSha256,
                           boolean approved,
                           String machineName,
                           Map<String, String> labels,
                           Instant registeredAt,
                           RegistryCommand command,
                           Instant commandAt,
                           boolean selfEnrolled,
                           boolean maintenance,
                           int timeoutSecs) implements NodeEvent {

    /** A node's own timeout: the seed's range of {@code LLMLB_NODE_TIMEOUT}, seconds. */
    public static final int MIN_TIMEOUT_SECS = 30;
    public static final int MAX_TIMEOUT_SECS = 300;

    /** An entry without maintenance or an own timeout. */
    public Registration(String nodeId, String tokenSha256, boolean approved, String machineName,
                        Map<String, String> labels, Instant registeredAt, RegistryCommand command, Instant commandAt,
                        boolean selfEnrolled) {
        this(nodeId, tokenSha256, approved, machineName, labels, registeredAt, command, commandAt, selfEnrolled,
                false, 0);
    }

    public Registration {
        // Most nodes have no labels, and the registry caches hold an entry per node: one shared
        // empty map instead of an empty LinkedHashMap each (56 bytes per node).
        if (labels != null && labels.isEmpty()) {
            labels = Map.of();
        }
    }

    /** An entry registered by an admin. */
    public Registration(String nodeId, String tokenSha256, boolean approved, String machineName,
                        Map<String, String> labels, Instant registeredAt, RegistryCommand command, Instant commandAt) {
        this(nodeId, tokenSha256, approved, machineName, labels, registeredAt, command, commandAt, false);
    }

    /** Whether this node enrolled itself and still waits for an admin's approval. */
    public boolean pendingSelfEnrolled() {
        return selfEnrolled && !approved;
    }

    /** This registration after {@code nextCommand} at {@code at}. */
    public Registration with(RegistryCommand nextCommand, Instant at) {
        boolean nowApproved = approved || nextCommand == RegistryCommand.APPROVED;
        return new Registration(nodeId, tokenSha256, nowApproved, machineName, labels, registeredAt, nextCommand, at,
                selfEnrolled, maintenance, timeoutSecs);
    }

    /** This registration with a new token hash, recorded as a rotation at {@code at}. */
    public Registration withToken(String newTokenSha256, Instant at) {
        return new Registration(nodeId, newTokenSha256, approved, machineName, labels, registeredAt,
                RegistryCommand.TOKEN_ROTATED, at, selfEnrolled, maintenance, timeoutSecs);
    }

    /** This registration with maintenance on or off, recorded as that command at {@code at}. */
    public Registration withMaintenance(boolean on, Instant at) {
        return new Registration(nodeId, tokenSha256, approved, machineName, labels, registeredAt,
                on ? RegistryCommand.MAINTENANCE_STARTED : RegistryCommand.MAINTENANCE_ENDED, at, selfEnrolled, on,
                timeoutSecs);
    }

    /** This registration with the node's own timeout ({@code 0}: the fleet's), recorded at {@code at}. */
    public Registration withTimeoutSecs(int seconds, Instant at) {
        return new Registration(nodeId, tokenSha256, approved, machineName, labels, registeredAt,
                RegistryCommand.TIMEOUT_SET, at, selfEnrolled, maintenance, seconds);
    }
}
