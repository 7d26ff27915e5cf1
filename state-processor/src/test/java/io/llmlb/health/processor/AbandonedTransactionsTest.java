package io.llmlb.health.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AbandonedTransactionsTest {

    private static final String LIVE = "0b6f3c52-7a43-4f4e-9d0a-2f0c8d1e5a11";
    private static final String DEAD = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f";
    private final AbandonedTransactions abandoned = new AbandonedTransactions("llmlb-state");

    @Test
    void aTransactionWhoseProcessHasNoMemberIsAbandoned() {
        assertEquals(Optional.of(Set.of("llmlb-state-" + DEAD + "-1", "llmlb-state-" + DEAD + "-2")),
                abandoned.toFence(
                        List.of("llmlb-state-" + LIVE + "-1", "llmlb-state-" + DEAD + "-1", "llmlb-state-" + DEAD + "-2"),
                        List.of("llmlb-state-" + LIVE + "-StreamThread-1-consumer")));
    }

    @Test
    void processIdsMatchWhateverTheirCase() {
        assertEquals(Optional.of(Set.of()), abandoned.toFence(
                List.of("llmlb-state-" + LIVE.toUpperCase() + "-1"),
                List.of("llmlb-state-" + LIVE + "-StreamThread-3-consumer")));
    }

    @Test
    void otherApplicationsAndOtherShapesOfIdAreLeftAlone() {
        assertEquals(Optional.of(Set.of()), abandoned.toFence(
                List.of("other-app-" + DEAD + "-1", "llmlb-state-not-a-uuid-1", "llmlb-state-" + DEAD),
                List.of("llmlb-state-" + LIVE + "-StreamThread-1-consumer")));
    }

    @Test
    void aMemberWhoseClientIdDoesNotNameItsProcessStopsAllFencing() {
        assertEquals(Optional.empty(), abandoned.toFence(
                List.of("llmlb-state-" + DEAD + "-1"),
                List.of("llmlb-state-" + LIVE + "-StreamThread-1-consumer", "llmlb-state-StreamThread-1-consumer")));
    }

    @Test
    void aGroupWithNoMemberIsNotActedOn() {
        assertEquals(Optional.empty(), abandoned.toFence(List.of("llmlb-state-" + DEAD + "-1"), List.of()));
    }
}
