package io.llmlb.health.standalone.acl;

import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.processor.config.StateProcessorConfig;
import io.llmlb.health.wire.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least-privilege ACLs of the three services, read off what each one does with Kafka:
 *
 * <ul>
 *   <li>ingest writes heartbeats (idempotent producer: WRITE suffices since Kafka 3.0) and
 *       follows the registry by assignment, without a group;</li>
 *   <li>the state-processor (Kafka Streams, exactly-once) reads the registry and heartbeats,
 *       writes node-state, node-state-changes and detector-events, owns its group and transactional ids (both
 *       named after its application id) and creates, reads and writes its changelog topics
 *       ({@code <application id>-…});</li>
 *   <li>the query API writes and follows the registry, follows node-state (its one node view),
 *       node-state-changes (transition history) and detector-events (the dashboard's hold
 *       banner), all by assignment: it has no group and no internal topic.</li>
 * </ul>
 *
 * Nobody else may write the registry: whoever can is able to approve nodes. Topic creation is
 * left to the operator ({@code ./llmlb-health acls --apply} creates the topics as an admin).
 */
public final class AclPlan {

    private AclPlan() {
    }

    /** Every ACL binding the services need on {@code kafka}'s topics, for {@code principals}. */
    public static List<AclBinding> bindings(KafkaSettings kafka, ServicePrincipals principals) {
        Topics topics = kafka.topics();
        List<AclBinding> acls = new ArrayList<>();

        String ingest = principals.ingest();
        acls.add(allow(ingest, AclOperation.WRITE, topic(topics.heartbeats())));
        acls.add(allow(ingest, AclOperation.READ, topic(topics.nodeRegistry())));

        String processor = principals.stateProcessor();
        String applicationId = StateProcessorConfig.defaultApplicationId(kafka);
        acls.add(allow(processor, AclOperation.READ, topic(topics.nodeRegistry())));
        acls.add(allow(processor, AclOperation.READ, topic(topics.heartbeats())));
        acls.add(allow(processor, AclOperation.WRITE, topic(topics.nodeState())));
        acls.add(allow(processor, AclOperation.WRITE, topic(topics.nodeStateChanges())));
        acls.add(allow(processor, AclOperation.WRITE, topic(topics.detectorEvents())));
        acls.add(allow(processor, AclOperation.READ, new ResourcePattern(ResourceType.GROUP, applicationId, PatternType.LITERAL)));
        acls.add(allow(processor, AclOperation.WRITE,
                new ResourcePattern(ResourceType.TRANSACTIONAL_ID, applicationId + "-", PatternType.PREFIXED)));
        ResourcePattern internalTopics = new ResourcePattern(ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED);
        for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE,
                AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(allow(processor, operation, internalTopics));
        }

        String query = principals.queryApi();
        acls.add(allow(query, AclOperation.WRITE, topic(topics.nodeRegistry())));
        acls.add(allow(query, AclOperation.READ, topic(topics.nodeRegistry())));
        acls.add(allow(query, AclOperation.READ, topic(topics.nodeState())));
        acls.add(allow(query, AclOperation.READ, topic(topics.nodeStateChanges())));
        acls.add(allow(query, AclOperation.READ, topic(topics.detectorEvents())));
        return List.copyOf(acls);
    }

    /** One line per binding, as an operator reads them: {@code ALLOW User:x WRITE TOPIC llmlb.heartbeats}. */
    public static String describe(AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        return entry.permissionType() + " " + entry.principal() + " " + entry.operation() + " "
                + pattern.resourceType() + " " + pattern.name()
                + (pattern.patternType() == PatternType.PREFIXED ? "* (prefix)" : "");
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static AclBinding allow(String principal, AclOperation operation, ResourcePattern pattern) {
        return new AclBinding(pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
