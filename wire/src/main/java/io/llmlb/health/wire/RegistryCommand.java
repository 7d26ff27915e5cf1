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
    TOKEN_ROTATED
}
