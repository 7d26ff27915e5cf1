package io.llmlb.health.query.view;

import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryView;
import java.util.Objects;

/**
 * The registry's copy of a node's id and machine name, handed to the other parts of the query API
 * that keep the node (the view, the transition history). Each part decodes its own records, so
 * without this every part held its own equal strings: four copies of the id and two of the machine
 * name per node, about 220 of the 1,270 bytes a node cost the query-api (docs/benchmarks.md,
 * figure 10c). Looked up once per node, when a part first meets it, not per heartbeat.
 */
public final class RegistryStrings {

    /** Keeps the strings as given (no registry in this process, e.g. a test's bare view). */
    public static final RegistryStrings NONE = new RegistryStrings(null);

    private final RegistryView registry;

    private RegistryStrings(RegistryView registry) {
        this.registry = registry;
    }

    /** Strings taken from {@code registry}. */
    public static RegistryStrings of(RegistryView registry) {
        return new RegistryStrings(Objects.requireNonNull(registry, "registry"));
    }

    /** The registry's string equal to {@code nodeId}, or {@code nodeId} when the node is not registered. */
    public String nodeId(String nodeId) {
        Registration registered = registered(nodeId);
        return registered == null ? nodeId : registered.nodeId();
    }

    /** The registry's machine name of {@code nodeId} when equal to {@code machineName}, else {@code machineName}. */
    public String machineName(String nodeId, String machineName) {
        Registration registered = registered(nodeId);
        return registered != null && Objects.equals(registered.machineName(), machineName)
                ? registered.machineName() : machineName;
    }

    private Registration registered(String nodeId) {
        return registry == null || nodeId == null ? null : registry.byNodeId(nodeId).orElse(null);
    }
}
