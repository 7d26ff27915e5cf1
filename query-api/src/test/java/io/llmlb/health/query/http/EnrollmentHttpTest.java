package io.llmlb.health.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.query.MutableClock;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.Role;
import io.llmlb.health.wire.Registration;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Self-registration with the enrollment key (issue 12, item 8): wrong keys are throttled like
 * logins, self-enrolled nodes waiting for approval have their own cap and expire, and the admin can
 * always register up to the fleet limit.
 */
class EnrollmentHttpTest {

    private static final Duration EXPIRY = Duration.ofHours(24);

    @Test
    void wrongEnrollmentKeysAreThrottledPerAddress() {
        try (ApiServer api = new ApiServer(ApiServer.defaults())) {
            for (int i = 0; i < 5; i++) {
                assertEquals(401, enroll(api, "wrong-key-" + i, "intruder").statusCode(), "guess " + i);
            }

            HttpResponse<String> guess = enroll(api, "wrong-key-5", "intruder");
            HttpResponse<String> rightKeyNow = enroll(api, ApiServer.ENROLLMENT_KEY, "intruder");

            assertEquals(429, guess.statusCode(), guess.body());
            assertTrue(guess.headers().firstValue("Retry-After").isPresent());
            assertTrue(LoginHttpTest.error(guess).contains("too many failed enrollment keys"), guess.body());
            assertEquals(429, rightKeyNow.statusCode(), "the address waits, whatever it sends: " + rightKeyNow.body());
            assertEquals(0, api.registry.size());
        }
    }

    @Test
    void keyHoldersCannotFillTheFleetAndTheAdminCanAlwaysRegister() {
        try (ApiServer api = new ApiServer(ApiServer.defaults().withFleet(3, 2))) {
            assertEquals(201, enroll(api, ApiServer.ENROLLMENT_KEY, "self-1").statusCode());
            assertEquals(201, enroll(api, ApiServer.ENROLLMENT_KEY, "self-2").statusCode());

            HttpResponse<String> third = enroll(api, ApiServer.ENROLLMENT_KEY, "self-3");

            assertEquals(409, third.statusCode(), third.body());
            assertTrue(LoginHttpTest.error(third).contains("LLMLB_MAX_PENDING_ENROLLED"), third.body());
            String admin = adminToken(api);
            for (int i = 1; i <= 3; i++) {
                HttpResponse<String> registered = register(api, admin, "admin-made-" + i);
                assertEquals(201, registered.statusCode(), "the admin's registration " + i + ": " + registered.body());
            }
            HttpResponse<String> fourth = register(api, admin, "admin-made-4");
            assertEquals(409, fourth.statusCode(), "the fleet limit still holds: " + fourth.body());
            HttpResponse<String> approve = api.send("POST", "/v0/nodes/self-1/approve", null,
                    "Authorization", "Bearer " + admin);
            assertEquals(409, approve.statusCode(), "an enrolled node joins the fleet only if there is room: "
                    + approve.body());
            assertTrue(LoginHttpTest.error(approve).contains("fleet is full"), approve.body());
        }
    }

    @Test
    void selfEnrolledNodesNotApprovedInTimeAreDeletedAndOthersKept() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
        try (ApiServer api = new ApiServer(ApiServer.defaults().withClock(clock))) {
            String admin = adminToken(api);
            assertEquals(201, enroll(api, ApiServer.ENROLLMENT_KEY, "waits-too-long").statusCode());
            assertEquals(201, enroll(api, ApiServer.ENROLLMENT_KEY, "approved-in-time").statusCode());
            assertEquals(201, register(api, admin, "admin-pending").statusCode());
            assertEquals(200, api.send("POST", "/v0/nodes/approved-in-time/approve", null,
                    "Authorization", "Bearer " + admin).statusCode());
            clock.advance(EXPIRY.minusSeconds(1));
            assertEquals(List.of(), api.admin.deleteUnapprovedEnrollments(EXPIRY), "not yet");
            assertEquals(201, enroll(api, ApiServer.ENROLLMENT_KEY, "enrolled-later").statusCode());

            clock.advance(Duration.ofSeconds(1));
            List<String> deleted = api.admin.deleteUnapprovedEnrollments(EXPIRY);

            assertEquals(List.of("waits-too-long"), deleted);
            assertFalse(api.registry.byNodeId("waits-too-long").isPresent());
            assertEquals(List.of("admin-pending", "approved-in-time", "enrolled-later"),
                    api.registry.all().stream().map(Registration::nodeId).sorted().toList());
        }
    }

    private static String adminToken(ApiServer api) {
        return api.jwt.issue(new Caller("admin", Role.ADMIN));
    }

    private static HttpResponse<String> enroll(ApiServer api, String key, String nodeId) {
        return api.send("POST", "/v0/nodes", "{\"node_id\":\"" + nodeId + "\"}",
                "X-Enrollment-Key", key, "Content-Type", "application/json");
    }

    private static HttpResponse<String> register(ApiServer api, String token, String nodeId) {
        return api.send("POST", "/v0/nodes", "{\"node_id\":\"" + nodeId + "\"}",
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }
}
