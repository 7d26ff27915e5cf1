package io.llmlb.health.query.http;

import io.llmlb.health.query.admin.RegistryWriter;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryView;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The node registry in memory, for HTTP tests of the query API without Kafka. */
public final class InMemoryRegistry implements RegistryView, RegistryWriter {

    private final Map<String, Registration> byNodeId = new ConcurrentHashMap<>();

    @Override
    public Optional<Registration> byNodeId(String nodeId) {
        return Optional.ofNullable(byNodeId.get(nodeId));
    }

    @Override
    public Optional<Registration> byTokenHash(String tokenSha256) {
        return byNodeId.values().stream().filter(r -> r.tokenSha256().equals(tokenSha256)).findFirst();
    }

    @Override
    public int size() {
        return byNodeId.size();
    }

    @Override
    public Collection<Registration> all() {
        return List.copyOf(byNodeId.values());
    }

    @Override
    public void write(Registration registration) {
        byNodeId.put(registration.nodeId(), registration);
    }

    @Override
    public void delete(String nodeId) {
        byNodeId.remove(nodeId);
    }
}
