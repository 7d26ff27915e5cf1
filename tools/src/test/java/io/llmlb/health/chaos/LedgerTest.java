package io.llmlb.health.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a node waited for its 200: from the first heartbeat not yet acknowledged to the next 200. */
class LedgerTest {

    @Test
    void aWaitRunsFromTheFirstUnacknowledgedSendThroughErrorsToTheNext200() {
        Ledger ledger = new Ledger(1);
        ledger.sent(0, 10_000);
        ledger.failed(0, 13_000, "503");
        ledger.sent(0, 14_000);
        ledger.ok(0, 17_500);

        assertEquals(List.of(new Ledger.Wait(0, 10_000, 17_500)), ledger.waitsEndingBetween(0, 20_000));
        assertEquals(List.of(new Ledger.ErrorStreak(0, 13_000, 17_500)), ledger.streaksBetween(0, 20_000));
    }

    @Test
    void aSlowAnswerIsAWaitWithoutAnError() {
        Ledger ledger = new Ledger(1);
        ledger.sent(0, 10_000);
        ledger.ok(0, 14_200);

        assertEquals(List.of(new Ledger.Wait(0, 10_000, 14_200)), ledger.waitsEndingBetween(0, 20_000));
        assertEquals(List.of(), ledger.streaksBetween(0, 20_000));
    }

    @Test
    void aNodeThatStopsSendingEndsItsWaitAndItsErrorsThereNotAtItsNext200() {
        Ledger ledger = new Ledger(1);
        ledger.sent(0, 10_000);
        ledger.failed(0, 11_000, "503");
        ledger.stoppedSending(0, 12_500);
        ledger.stoppedSending(0, 60_000);
        ledger.sent(0, 300_000);
        ledger.ok(0, 300_040);

        assertEquals(List.of(new Ledger.Wait(0, 10_000, 12_500)), ledger.waitsEndingBetween(0, 400_000));
        assertEquals(List.of(new Ledger.ErrorStreak(0, 11_000, 12_500)), ledger.streaksBetween(0, 400_000));
    }

    @Test
    void promptAnswersAreNotKept() {
        Ledger ledger = new Ledger(1);
        for (long at = 10_000; at < 60_000; at += 10_000) {
            ledger.sent(0, at);
            ledger.ok(0, at + 40);
        }

        assertEquals(List.of(), ledger.waitsEndingBetween(0, 100_000));
    }

    @Test
    void theLatest200IsKeptWhateverOrderTheAnswersCameIn() {
        Ledger ledger = new Ledger(2);
        ledger.sent(0, 10_000);
        ledger.ok(0, 10_200);
        ledger.ok(0, 9_900);
        ledger.failed(0, 20_000, "503");

        assertEquals(10_200, ledger.last200At(0));
        assertEquals(0, ledger.last200At(1));
    }
}
