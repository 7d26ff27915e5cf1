package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmlb.health.examples.OfflineAlerter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's downstream consumer ({@link OfflineAlerter}, built in the examples module with
 * only kafka-clients and Jackson) against the real pipeline: it reports the node that fell
 * silent, once, and nothing for the node that kept beating.
 */
class OfflineAlerterTest {

    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void alerterPrintsTheNodeThatWentSilentAndNotTheOneThatKeptBeating() throws Exception {
        Map<String, String> env = TestStacks.environment(dataDir);
        List<String> alerts = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (Standalone standalone = TestStacks.start(env, NODE_TIMEOUT, CHECK_INTERVAL)) {
            ApiClient api = new ApiClient(standalone.port());
            String jwt = api.adminJwt();
            String silentToken = registerAndApprove(api, jwt, "silent-node");
            String beatingToken = registerAndApprove(api, jwt, "beating-node");
            assertEquals(200, api.heartbeat(silentToken, ApiClient.seedHeartbeat("silent-node")).status());

            Thread follower = Thread.ofVirtual().start(() -> {
                try {
                    OfflineAlerter.follow("127.0.0.1:" + env.get("LLMLB_KAFKA_PORT"), "readme-alerter",
                            alerts::add, stop::get);
                } catch (Exception e) {
                    alerts.add("failed: " + e);
                }
            });
            try {
                // When one node falls silent and the other keeps beating past its timeout.
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
                    api.heartbeat(beatingToken, ApiClient.seedHeartbeat("beating-node"));
                    return !alerts.isEmpty();
                });
                // Then the alert names the silent node and why; a further timeout passes with no other alert.
                await().during(NODE_TIMEOUT.plusSeconds(1)).atMost(NODE_TIMEOUT.plusSeconds(10))
                        .pollInterval(Duration.ofMillis(500)).until(() -> {
                            api.heartbeat(beatingToken, ApiClient.seedHeartbeat("beating-node"));
                            return alerts.size() == 1;
                        });
                assertThat(alerts, contains("silent-node went offline: timeout"));
            } finally {
                stop.set(true);
                follower.join(Duration.ofSeconds(10));
            }
        }
    }

    private static String registerAndApprove(ApiClient api, String jwt, String nodeId) {
        ApiClient.Reply registered = api.register(jwt, nodeId);
        assertEquals(201, registered.status(), registered.body());
        assertEquals(200, api.admin(jwt, "POST", "/v0/nodes/" + nodeId + "/approve").status());
        return registered.json().get("node_token").asText();
    }
}
