package io.llmlb.health.query.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.http.ApiException;
import io.llmlb.health.query.http.InMemoryRegistry;
import io.llmlb.health.wire.Registration;
import io.llmlb.health.wire.RegistryCommand;
import io.llmlb.health.wire.NodeMetrics;
import io.llmlb.health.wire.NodeState;
import io.llmlb.health.wire.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeViewTest {

    private static final Instant AT = Instant.parse("2025-01-01T12:00:00Z");

    private final NodeView view = new NodeView();

    @Test
    void readsAre503UntilTheTopicHasBeenReadToItsEnd() throws InterruptedException {
        view.put(node("node-1", NodeStatus.ONLINE));

        ApiException notReady = assertThrows(ApiException.class, () -> view.find("node-1"));
        assertEquals(503, notReady.status().code());
        assertFalse(view.awaitReady(Duration.ofMillis(10)));

        view.markCaughtUp();

        assertTrue(view.awaitReady(Duration.ofMillis(10)));
        assertEquals("node-1", view.find("node-1").orElseThrow().nodeId());
    }

    @Test
    void countsFollowEveryChangeOfState() {
        view.markCaughtUp();
        view.put(node("node-1", NodeStatus.PENDING));
        view.put(node("node-2", NodeStatus.ONLINE));
        view.put(node("node-1", NodeStatus.ONLINE));
        view.put(node("node-2", NodeStatus.OFFLINE));
        view.remove("node-3");
        view.put(node("node-3", NodeStatus.PENDING));
        view.remove("node-3");

        NodeView.Counts counts = view.counts();

        assertEquals(Map.of(NodeStatus.ONLINE, 1L, NodeStatus.OFFLINE, 1L, NodeStatus.PENDING, 0L), counts.byState());
        assertEquals(2, counts.total());
    }

    @Test
    void aSubscriberGetsTheSnapshotThenEveryLaterChangeAndAListenerOnlyTheChanges() {
        view.markCaughtUp();
        view.put(node("node-1", NodeStatus.ONLINE));
        List<NodeView.Update> heardBySubscriber = new ArrayList<>();
        List<NodeView.Update> heardByListener = new ArrayList<>();

        NodeView.Subscription subscription = view.subscribe(heardBySubscriber::add);
        Runnable stopListening = view.listen(heardByListener::add);
        view.put(node("node-2", NodeStatus.ONLINE));
        view.remove("node-1");
        subscription.close();
        stopListening.run();
        view.put(node("node-3", NodeStatus.ONLINE));

        assertEquals(List.of("node-1"), subscription.snapshot().stream().map(NodeEntry::nodeId).toList());
        assertEquals(2, heardBySubscriber.size());
        assertEquals("node-2", heardBySubscriber.get(0).node().nodeId());
        assertNull(heardBySubscriber.get(1).node(), "a removal carries no entry");
        assertEquals(heardBySubscriber, heardByListener);
    }

    @Test
    void aHeartbeatThatChangesOnlyFiguresKeepsTheNodesSharedValues() {
        view.markCaughtUp();
        NodeState first = node("node-1", NodeStatus.ONLINE)
                .withHeartbeat(AT, new NodeMetrics(null, null, 1, new ArrayList<>(List.of("llama-3.2-1b"))));
        NodeState second = first.withHeartbeat(AT.plusSeconds(10),
                new NodeMetrics(null, null, 2, new ArrayList<>(List.of("llama-3.2-1b"))));
        NodeState other = node("node-2", NodeStatus.ONLINE)
                .withHeartbeat(AT, new NodeMetrics(null, null, 0, new ArrayList<>(List.of("llama-3.2-1b"))));

        view.put(first);
        List<String> kept = view.find("node-1").orElseThrow().loadedModels();
        view.put(second);
        view.put(other);

        assertSame(kept, view.find("node-1").orElseThrow().loadedModels(), "no new copy per heartbeat");
        assertSame(kept, view.find("node-2").orElseThrow().loadedModels(), "one copy across nodes");
        assertEquals(2, view.find("node-1").orElseThrow().activeRequests());
    }

    @Test
    void aStoppedViewEndsItsListenersAndAnswers503() {
        view.markCaughtUp();
        boolean[] ended = {false};
        view.listen(new NodeView.Listener() {
            @Override
            public void update(NodeView.Update update) {
            }

            @Override
            public void ended() {
                ended[0] = true;
            }
        });

        view.markStopped();

        assertTrue(ended[0]);
        assertThrows(ApiException.class, view::counts);
    }

    @Test
    void aNodesFirstEntryKeepsTheRegistrysCopyOfItsIdAndMachineName() {
        InMemoryRegistry registry = new InMemoryRegistry();
        String registeredId = new String("node-1");
        String registeredMachine = new String("gpu-host-1");
        registry.write(new Registration(registeredId, "0".repeat(64), true, registeredMachine, Map.of(), AT,
                RegistryCommand.REGISTERED, AT));
        NodeView sharing = new NodeView(RegistryStrings.of(registry));
        sharing.markCaughtUp();

        sharing.put(withMachine(node(new String("node-1"), NodeStatus.ONLINE), new String("gpu-host-1")));
        sharing.put(withMachine(node(new String("node-2"), NodeStatus.ONLINE), new String("gpu-host-2")));

        NodeEntry registered = sharing.find("node-1").orElseThrow();
        assertSame(registeredId, registered.nodeId());
        assertSame(registeredMachine, registered.machineName());
        assertEquals("node-2", sharing.find("node-2").orElseThrow().nodeId(), "an unregistered node keeps its own");
        assertEquals("gpu-host-2", sharing.find("node-2").orElseThrow().machineName());
    }

    private static NodeState withMachine(NodeState state, String machineName) {
        return new NodeState(state.nodeId(), state.state(), state.approved(), machineName, state.labels(),
                state.registeredAt(), state.lastSeen(), state.onlineSince(), state.deadline(), state.heartbeats(),
                state.timeouts(), state.seq(), state.lastChangeAt(), state.latest());
    }

    private static NodeState node(String id, NodeStatus status) {
        return new NodeState(id, status, status != NodeStatus.PENDING, null, Map.of(), AT, AT, null, null, 1, 0, 1,
                AT, null);
    }
}
