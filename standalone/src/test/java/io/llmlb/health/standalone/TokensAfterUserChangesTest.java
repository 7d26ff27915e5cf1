package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens do not outlive their users (issue 12, item 5), across a real restart on the same data
 * folder (so the same generated JWT key): the admin is renamed, a viewer removed, another viewer
 * made an admin. Every old token is refused with 401 for every call; the node they tried to touch is
 * untouched; the new users' fresh logins work.
 */
class TokensAfterUserChangesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void restartWithChangedUsersEndsTheOldTokensOfChangedUsers() throws Exception {
        // Given tokens of admin, alice and bob, and a pending node
        Map<String, String> before = TestStacks.environment(dataDir);
        before.put("LLMLB_VIEWERS", "alice:alice-pass,bob:bob-pass,carol:carol-pass");
        String adminToken;
        String aliceToken;
        String bobToken;
        String carolToken;
        try (Standalone first = TestStacks.start(before, Duration.ofMinutes(5), Duration.ofSeconds(1))) {
            ApiClient api = new ApiClient(first.port());
            adminToken = api.adminJwt();
            aliceToken = token(api, "alice", "alice-pass");
            bobToken = token(api, "bob", "bob-pass");
            carolToken = token(api, "carol", "carol-pass");
            assertEquals(201, api.register(adminToken, "kept-node").status());
        }

        // When the stack restarts with admin renamed to ops, alice removed, bob made an admin; carol unchanged
        Map<String, String> after = new HashMap<>(before);
        after.put("LLMLB_ADMIN_USER", "ops");
        after.put("LLMLB_ADMIN_PASSWORD", "ops-passphrase");
        after.put("LLMLB_VIEWERS", "carol:carol-pass");
        Path usersFile = dataDir.resolve("users.txt");
        Files.writeString(usersFile, "bob:admin:bob-pass\n");
        after.put("LLMLB_USERS_FILE", usersFile.toString());
        try (Standalone second = TestStacks.start(after, Duration.ofMinutes(5), Duration.ofSeconds(1))) {
            ApiClient api = new ApiClient(second.port());

            // Then the old admin token can do nothing
            for (ApiClient.Reply reply : new ApiClient.Reply[] {
                    api.nodes(adminToken),
                    api.register(adminToken, "sneaked-in"),
                    api.admin(adminToken, "POST", "/v0/nodes/kept-node/approve"),
                    api.admin(adminToken, "POST", "/v0/nodes/kept-node/token"),
                    api.admin(adminToken, "DELETE", "/v0/nodes/kept-node")}) {
                assertEquals(401, reply.status(), reply.raw().request().method() + " " + reply.raw().uri() + ": "
                        + reply.body());
                assertTrue(reply.json().get("error").asText().contains("no longer exists"), reply.body());
            }
            // nor the removed viewer's, nor the token of bob's former role
            assertEquals(401, api.nodes(aliceToken).status(), "alice was removed");
            assertEquals(401, api.nodes(bobToken).status(), "bob's token says viewer; bob is an admin now");
            assertEquals(200, api.nodes(carolToken).status(), "carol is unchanged: her token still reads");

            // and the node is as it was: pending, not deleted, nothing else registered
            String opsToken = token(api, "ops", "ops-passphrase");
            await().atMost(PATIENCE).until(() -> api.node(opsToken, "kept-node") != null);
            ApiClient.Reply kept = api.admin(opsToken, "GET", "/v0/nodes/kept-node");
            assertEquals(200, kept.status(), kept.body());
            assertEquals(false, kept.json().get("approved").asBoolean(), kept.body());
            assertEquals(404, api.admin(opsToken, "GET", "/v0/nodes/sneaked-in").status());
            String newBobToken = token(api, "bob", "bob-pass");
            assertEquals(200, api.admin(newBobToken, "POST", "/v0/nodes/kept-node/approve").status(),
                    "bob's fresh token carries his new role");
        }
    }

    private static String token(ApiClient api, String username, String password) {
        ApiClient.Reply login = api.login(username, password);
        assertEquals(200, login.status(), login.body());
        return login.json().get("token").asText();
    }
}
