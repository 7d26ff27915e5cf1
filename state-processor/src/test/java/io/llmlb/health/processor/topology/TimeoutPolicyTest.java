package io.llmlb.health.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.processor.config.SuspensionSettings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The timeout rule of the policy; its grace and guard parts are NodeStateTopologyTest's (they need the task's stores). */
class TimeoutPolicyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private final TimeoutPolicy policy = new TimeoutPolicy(TIMEOUT, SuspensionSettings.DEFAULT);

    @Test
    void deadlineIsOneTimeoutAfterTheLaterOfLastSeenAndOnlineSince() {
        assertEquals(T0.plusSeconds(70), policy.deadline(T0.plusSeconds(10), T0));
        assertEquals(T0.plusSeconds(90), policy.deadline(T0.plusSeconds(10), T0.plusSeconds(30)));
        assertEquals(T0.plusSeconds(60), policy.deadline(null, T0), "approved, never seen");
    }

    @Test
    void aHeartbeatOlderThanOneTimeoutProvesNothing() {
        assertTrue(policy.provesPresence(T0, T0.plusSeconds(59)));
        assertFalse(policy.provesPresence(T0, T0.plusSeconds(60)));
    }
}
