package io.llmlb.health.query.admin;

import io.llmlb.health.wire.Registration;

/** Writes registry entries; returns only once the entry is durable and visible to this replica's reads. */
public interface RegistryWriter {

    /** Writes {@code registration} as the node's current entry. */
    void write(Registration registration);

    /** Deletes {@code nodeId} (a tombstone in the compacted registry). */
    void delete(String nodeId);
}
