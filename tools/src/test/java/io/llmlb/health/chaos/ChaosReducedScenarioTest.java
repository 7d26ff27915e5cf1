package io.llmlb.health.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reduced scenario on the real compose stack: the quick fleet (300 nodes through the
 * gateway), one state-processor kill and one broker kill. Nothing answered 200 may be lost and no
 * node that kept beating may be called offline. Skipped, with the reason, where no Docker engine
 * or docker-compose can run.
 *
 * <p>Lost heartbeats are counted against what the state-processor committed to
 * {@code llmlb.node-state}; what the query-api serves through the gateway is checked separately
 * ({@code servedBehind}), so a replica that fell behind is told apart from a lost heartbeat. About
 * 8 minutes, most of it the fleet's registration and the faults' recovery.
 */
class ChaosReducedScenarioTest {

    @Test
    void processorKillAndBrokerKillLoseNothingAndCallNoLiveNodeOffline() throws Exception {
        assumeTrue(ComposeStack.dockerAvailable(), "no Docker engine answers here (docker info failed)");
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed");
        Path root = repositoryRoot();
        System.setProperty(ComposeStack.NO_BUILD_PROPERTY, "true");
        Path report = root.resolve("tools/target/chaos-reduced");
        ChaosOptions options = ChaosOptions.parse(new String[] {"--quick", "--faults", "processor-kill,broker-kill",
                "--project", "llmlb-chaos-test", "--gateway-port", "18180", "--kafka-ports", "19292,19293,19294",
                "--report-dir", report.toString()});

        ChaosMain.Outcome outcome = ChaosMain.run(options, root);

        List<FaultResult> results = outcome.results();
        assertEquals(List.of("processor-kill", "broker-kill"), results.stream().map(FaultResult::name).toList());
        assertTrue(outcome.total().settled(), "the counts settled after the fleet stopped");
        assertEquals(0, outcome.total().lost(), "heartbeats answered 200 but never counted");
        assertEquals(0, outcome.total().duplicates(), "heartbeats counted twice");
        assertEquals(0, outcome.total().servedBehind(), "committed heartbeats a query-api replica still did not serve");
        for (FaultResult result : results) {
            assertEquals(0, result.falseOffline(), result.name() + ": live nodes called offline");
            assertTrue(result.silencedJudged() > 0, result.name() + ": the silenced nodes were judged, so the"
                    + " detector was working during the fault");
        }
        assertTrue(Files.exists(report.resolve("reliability.md")));
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
