package io.llmlb.health.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lag figures a fault's row and the processor-kill goal are read from. */
class FaultResultTest {

    private static FaultResult withLags(List<Long> all, List<Long> afterInjection) {
        return new FaultResult("processor-kill", "kill", 0, 0, true, 0, all.size(), all.size(), all, afterInjection,
                Map.of(), 0, 0, 0, 0, 0, 0);
    }

    @Test
    void lagsAreReadAsNearestRankPercentiles() {
        FaultResult result = withLags(List.of(400L, 100L, 300L, 200L), List.of(300L, 200L));

        assertEquals(200, result.lagPercentile(0.5));
        assertEquals(400, result.lagPercentile(1.0));
        assertEquals(200, result.lagAfterInjectionPercentile(0.5));
        assertEquals(300, result.lagAfterInjectionPercentile(1.0));
    }

    @Test
    void noDeadlineAfterTheInjectionReadsAsNotMeasured() {
        FaultResult result = withLags(List.of(100L), List.of());

        assertEquals(100, result.lagPercentile(1.0));
        assertEquals(-1, result.lagAfterInjectionPercentile(1.0));
    }
}
