package io.llmlb.health.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which compose service a fault kills for a Kafka node id, in each KRaft layout. */
class KafkaServiceTest {

    private static ComposeStack stack(boolean dedicatedControllers) {
        ChaosOptions options = ChaosOptions.parse(dedicatedControllers
                ? new String[] {"--quick", "--dedicated-controllers"} : new String[] {"--quick"});
        assertEquals(dedicatedControllers, options.dedicatedControllers());
        return new ComposeStack(Path.of("."), options.project(), options.gatewayPort(), options.kafkaPorts(),
                options.prometheusPort(), options.nodeTimeout(), options.checkInterval(), options.nodes(),
                options.dedicatedControllers());
    }

    @Test
    void withTheRolesCombinedEveryNodeIsABroker() {
        ComposeStack combined = stack(false);
        assertFalse(combined.dedicatedControllers());
        assertEquals("kafka-1", combined.kafkaService(1));
        assertEquals("kafka-3", combined.kafkaService(3));
    }

    @Test
    void dedicatedControllersAreTheirOwnServices() {
        ComposeStack dedicated = stack(true);
        assertTrue(dedicated.dedicatedControllers());
        assertEquals("kafka-2", dedicated.kafkaService(2));
        assertEquals("controller-1", dedicated.kafkaService(101));
        assertEquals("controller-3", dedicated.kafkaService(103));
    }

    @Test
    void eachLayoutHasItsOwnProjectUnlessOneIsNamed() {
        assertEquals("llmlb-chaos", ChaosOptions.parse(new String[] {"--quick"}).project());
        assertEquals("llmlb-chaos-dc", ChaosOptions.parse(new String[] {"--dedicated-controllers"}).project());
        assertEquals("mine", ChaosOptions.parse(new String[] {"--dedicated-controllers", "--project", "mine"}).project());
    }
}
