package io.llmlb.health.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BusiestLeaderTest {

    @Test
    void aTieIsBrokenAwayFromTheActiveController() {
        assertEquals(2, Faults.busiest(Map.of(1, 2, 2, 2, 3, 2), 1));
        assertEquals(1, Faults.busiest(Map.of(1, 2, 2, 2, 3, 2), 3));
    }

    @Test
    void theBusiestBrokerIsKilledEvenWhenItIsTheController() {
        assertEquals(1, Faults.busiest(Map.of(1, 3, 2, 2, 3, 1), 1));
    }

    @Test
    void aControllerThatCannotBeToldChangesNothing() {
        assertEquals(3, Faults.busiest(Map.of(1, 1, 2, 2, 3, 3), -1));
    }
}
