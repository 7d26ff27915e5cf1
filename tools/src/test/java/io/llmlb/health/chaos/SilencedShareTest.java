package io.llmlb.health.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SilencedShareTest {

    @Test
    void fivePercentOfTheFleetIsSilencedBeforeEachFault() {
        assertEquals(15, Chaos.silencedPerFault(300));
        assertEquals(100, Chaos.silencedPerFault(2_000));
    }

    @Test
    void aSmallFleetLosesOneNodeButNeverAllOfThem() {
        assertEquals(1, Chaos.silencedPerFault(10));
        assertEquals(1, Chaos.silencedPerFault(2));
        assertEquals(0, Chaos.silencedPerFault(1), "a fleet of one keeps beating, so a false offline verdict would show");
    }
}
