package io.llmlb.health.wire;

/**
 * The admin action that produced a registry entry. The state-processor applies the command of
 * each entry once (exactly-once processing), so a compacted registry still carries the latest
 * registration while the commands themselves are history.
 */
public enum RegistryCommand {
    REGISTERED,
    APPROVED,
    DISCONNECTED,
    TOKEN_ROTATED,
    /** An admin put the node in maintenance (the entry's {@code maintenance} is true). */
    MAINTENANCE_STARTED,
    /** An admin took the node out of maintenance. */
    MAINTENANCE_ENDED,
    /** An admin set or cleared the node's own timeout (the entry's {@code timeout_secs}). */
    TIMEOUT_SET
}
