package io.llmlb.health.query.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.http.ApiException;
import io.llmlb.health.query.http.InMemoryRegistry;
import io.llmlb.health.wire.Registration;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Admin actions on different nodes run side by side, while the fleet caps still count the writes
 * in flight and one node's actions stay serialised. The registry writer here holds each write
 * until the test lets it go, as a Kafka write awaiting its acknowledgement does.
 */
class NodeAdminTest {

    /** Holds every write at a gate; counts the writes that reached it. */
    private static final class GatedWriter implements RegistryWriter {
        private final InMemoryRegistry registry;
        private final CountDownLatch gate = new CountDownLatch(1);
        private final CountDownLatch arrived;

        GatedWriter(InMemoryRegistry registry, int expectedWrites) {
            this.registry = registry;
            this.arrived = new CountDownLatch(expectedWrites);
        }

        @Override
        public void write(Registration registration) {
            arrived.countDown();
            awaitGate();
            registry.write(registration);
        }

        @Override
        public void delete(String nodeId) {
            arrived.countDown();
            awaitGate();
            registry.delete(nodeId);
        }

        private void awaitGate() {
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        requests.shutdownNow();
    }

    @Test
    void registrationsOfDifferentNodesWaitForTheirWritesTogether() throws Exception {
        InMemoryRegistry registry = new InMemoryRegistry();
        GatedWriter writer = new GatedWriter(registry, 2);
        NodeAdmin admin = new NodeAdmin(registry, writer, 10, 10, Clock.systemUTC());

        Future<NodeAdmin.IssuedToken> first = requests.submit(() -> admin.register("node-a", "a", Map.of(), false));
        Future<NodeAdmin.IssuedToken> second = requests.submit(() -> admin.register("node-b", "b", Map.of(), false));

        // Both writes are in flight at once; under one lock for every node the second would wait here.
        assertTrue(writer.arrived.await(5, TimeUnit.SECONDS), "the two writes should be in flight together");
        writer.gate.countDown();
        assertEquals("node-a", first.get(5, TimeUnit.SECONDS).nodeId());
        assertEquals("node-b", second.get(5, TimeUnit.SECONDS).nodeId());
        assertEquals(2, registry.size());
    }

    @Test
    void aWriteInFlightTakesTheLastFleetPlace() throws Exception {
        InMemoryRegistry registry = new InMemoryRegistry();
        GatedWriter writer = new GatedWriter(registry, 1);
        NodeAdmin admin = new NodeAdmin(registry, writer, 1, 10, Clock.systemUTC());

        Future<NodeAdmin.IssuedToken> first = requests.submit(() -> admin.register("node-a", "a", Map.of(), false));
        assertTrue(writer.arrived.await(5, TimeUnit.SECONDS));

        ApiException full = assertThrows(ApiException.class, () -> admin.register("node-b", "b", Map.of(), false));
        assertEquals(409, full.status().code());
        assertTrue(full.getMessage().contains("LLMLB_MAX_NODES"), full.getMessage());

        writer.gate.countDown();
        first.get(5, TimeUnit.SECONDS);
        assertEquals(1, registry.size());
    }

    @Test
    void aSecondRegistrationOfTheSameNodeWaitsForTheFirstAndIsRefused() throws Exception {
        InMemoryRegistry registry = new InMemoryRegistry();
        GatedWriter writer = new GatedWriter(registry, 1);
        NodeAdmin admin = new NodeAdmin(registry, writer, 10, 10, Clock.systemUTC());

        Future<NodeAdmin.IssuedToken> first = requests.submit(() -> admin.register("node-a", "a", Map.of(), false));
        assertTrue(writer.arrived.await(5, TimeUnit.SECONDS));
        Future<NodeAdmin.IssuedToken> again = requests.submit(() -> admin.register("node-a", "a", Map.of(), false));

        writer.gate.countDown();
        first.get(5, TimeUnit.SECONDS);
        var refused = assertThrows(java.util.concurrent.ExecutionException.class, () -> again.get(5, TimeUnit.SECONDS));
        assertEquals(409, ((ApiException) refused.getCause()).status().code());
        assertEquals(1, registry.size());
    }

    @Test
    void enrolmentsInFlightCountAgainstTheEnrolmentCap() throws Exception {
        InMemoryRegistry registry = new InMemoryRegistry();
        GatedWriter writer = new GatedWriter(registry, 1);
        NodeAdmin admin = new NodeAdmin(registry, writer, 10, 1, Clock.systemUTC());

        Future<NodeAdmin.IssuedToken> first = requests.submit(() -> admin.register("node-a", "a", Map.of(), true));
        assertTrue(writer.arrived.await(5, TimeUnit.SECONDS));

        ApiException waiting = assertThrows(ApiException.class, () -> admin.register("node-b", "b", Map.of(), true));
        assertEquals(409, waiting.status().code());
        assertTrue(waiting.getMessage().contains("LLMLB_MAX_PENDING_ENROLLED"), waiting.getMessage());
        // An admin's registration still has a place: enrolled nodes wait outside the fleet.
        writer.gate.countDown();
        first.get(5, TimeUnit.SECONDS);
        assertEquals("node-c", admin.register("node-c", "c", Map.of(), false).nodeId());
    }
}
