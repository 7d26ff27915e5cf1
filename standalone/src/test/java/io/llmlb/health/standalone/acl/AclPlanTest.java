package io.llmlb.health.standalone.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.Test;

class AclPlanTest {

    private static final KafkaSettings KAFKA = new KafkaSettings("k:9093", new Topics("fleet-a."), 3, (short) 3);
    private static final ServicePrincipals PRINCIPALS = ServicePrincipals.fromEnv(new EnvReader(Map.of()));

    private static List<String> lines() {
        return AclPlan.bindings(KAFKA, PRINCIPALS).stream().map(AclPlan::describe).toList();
    }

    @Test
    void onlyTheQueryApiMayWriteTheRegistry() {
        List<String> writers = lines().stream().filter(line -> line.endsWith("WRITE TOPIC fleet-a.node-registry")).toList();

        assertEquals(List.of("ALLOW User:llmlb-query WRITE TOPIC fleet-a.node-registry"), writers);
    }

    @Test
    void eachServiceGetsExactlyWhatItDoes() {
        List<String> lines = lines();

        assertTrue(lines.contains("ALLOW User:llmlb-ingest WRITE TOPIC fleet-a.heartbeats"), lines.toString());
        assertTrue(lines.contains("ALLOW User:llmlb-ingest READ TOPIC fleet-a.node-registry"), lines.toString());
        assertEquals(2, lines.stream().filter(line -> line.contains("User:llmlb-ingest ")).count(), lines.toString());
        assertTrue(lines.contains("ALLOW User:llmlb-processor READ GROUP fleet-a.state-processor"), lines.toString());
        assertTrue(lines.contains("ALLOW User:llmlb-processor WRITE TRANSACTIONAL_ID fleet-a.state-processor-* (prefix)"),
                lines.toString());
        assertTrue(lines.contains("ALLOW User:llmlb-processor CREATE TOPIC fleet-a.state-processor-* (prefix)"),
                lines.toString());
        assertTrue(lines.contains("ALLOW User:llmlb-processor WRITE TOPIC fleet-a.detector-events"), lines.toString());
        assertTrue(lines.contains("ALLOW User:llmlb-query READ TOPIC fleet-a.detector-events"), lines.toString());
        assertFalse(lines.stream().anyMatch(line -> line.contains("User:llmlb-query WRITE TOPIC fleet-a.heartbeats")));
        assertFalse(lines.stream().anyMatch(line -> line.contains(" ALL ") || line.contains("CLUSTER")), lines.toString());
    }

    @Test
    void principalsAreConfigurableAndMustDiffer() {
        ServicePrincipals own = ServicePrincipals.fromEnv(new EnvReader(Map.of("LLMLB_INGEST_PRINCIPAL", "User:edge")));
        assertTrue(AclPlan.bindings(KAFKA, own).stream()
                .anyMatch(acl -> acl.entry().principal().equals("User:edge") && acl.entry().operation() == AclOperation.WRITE));

        assertThrows(ConfigException.class, () -> ServicePrincipals.fromEnv(new EnvReader(Map.of(
                "LLMLB_INGEST_PRINCIPAL", "User:same", "LLMLB_QUERY_API_PRINCIPAL", "User:same"))));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ServicePrincipals.fromEnv(new EnvReader(Map.of("LLMLB_QUERY_API_PRINCIPAL", "User:*"))));
        assertTrue(e.getMessage().contains("LLMLB_QUERY_API_PRINCIPAL"), e.getMessage());
    }

    @Test
    void everyBindingIsAnAllowForOneNamedPrincipal() {
        for (AclBinding acl : AclPlan.bindings(KAFKA, PRINCIPALS)) {
            assertTrue(acl.entry().principal().startsWith("User:llmlb-"), acl.toString());
            assertEquals("*", acl.entry().host());
        }
    }
}
