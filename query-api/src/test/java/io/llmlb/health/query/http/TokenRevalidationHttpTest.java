package io.llmlb.health.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.Role;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tokens do not outlive their users (issue 12, item 5): a token still correctly signed and unexpired
 * is refused once its user is gone or has another role. The users here are what the configuration
 * of a restarted server would say; the standalone's restart test does the same across a real restart.
 */
class TokenRevalidationHttpTest {

    @Test
    void tokenOfAConfiguredUserWithItsRoleIsAccepted() {
        try (ApiServer api = new ApiServer(ApiServer.defaults())) {
            String token = api.jwt.issue(new Caller("alice", Role.VIEWER));

            assertEquals(200, api.send("GET", "/v0/nodes", null, "Authorization", "Bearer " + token).statusCode());
        }
    }

    @Test
    void tokenOfARemovedUserIsRefused() {
        try (ApiServer api = new ApiServer(ApiServer.defaults().withUsers(List.of(ApiServer.Users.ADMIN)))) {
            String aliceToken = api.jwt.issue(new Caller("alice", Role.VIEWER));

            HttpResponse<String> read = api.send("GET", "/v0/nodes", null, "Authorization", "Bearer " + aliceToken);

            assertEquals(401, read.statusCode(), read.body());
            assertTrue(LoginHttpTest.error(read).contains("no longer exists"), read.body());
        }
    }

    @Test
    void adminTokenOfARenamedAdminCanNeitherRegisterNorApprove() {
        List<io.llmlb.health.query.auth.UserAccount> renamed = List.of(
                ApiServer.Users.account("ops", Role.ADMIN, "ops-pass"), ApiServer.Users.ALICE);
        try (ApiServer api = new ApiServer(ApiServer.defaults().withUsers(renamed))) {
            String oldAdminToken = api.jwt.issue(new Caller("admin", Role.ADMIN));

            HttpResponse<String> register = api.send("POST", "/v0/nodes", "{\"node_id\":\"n-1\"}",
                    "Authorization", "Bearer " + oldAdminToken, "Content-Type", "application/json");

            assertEquals(401, register.statusCode(), register.body());
            assertEquals(0, api.registry.size(), "nothing was registered");
        }
    }

    @Test
    void tokenClaimingARoleTheUserNoLongerHasIsRefused() {
        // alice was an admin when her token was issued; the configuration now makes her a viewer.
        try (ApiServer api = new ApiServer(ApiServer.defaults())) {
            String promotedToken = api.jwt.issue(new Caller("alice", Role.ADMIN));

            HttpResponse<String> read = api.send("GET", "/v0/nodes", null, "Authorization", "Bearer " + promotedToken);
            HttpResponse<String> register = api.send("POST", "/v0/nodes", "{\"node_id\":\"n-2\"}",
                    "Authorization", "Bearer " + promotedToken, "Content-Type", "application/json");

            assertEquals(401, read.statusCode(), read.body());
            assertEquals(401, register.statusCode(), register.body());
            assertEquals(0, api.registry.size());
        }
    }
}
