package io.llmlb.health.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.common.errors.ClusterAuthorizationException;

/**
 * Finalizes the cluster's {@code transaction.version} feature at the level
 * {@code LLMLB_KAFKA_TRANSACTION_VERSION} asks for, before the service creates its clients.
 *
 * <p>Why a monitor touches a cluster feature at all: a Kafka 4 cluster starts at version 2
 * (KIP-890), where a transactional producer adds a partition to its transaction with the produce
 * request itself. On the three-broker compose stack, loaded on 2 cores, the state-processors'
 * produce requests then came back with CONCURRENT_TRANSACTIONS (the previous commit's markers not
 * yet written) and OUT_OF_ORDER_SEQUENCE_NUMBER, retried with a backoff growing to a second, for
 * minutes: 32 commits in 4 minutes, no node online for 3 minutes after start-up, and 177 s of
 * detection lag after a processor kill. With version 1, the same stack committed every 100 ms at
 * about 28 ms a commit with no retry. So the compose file sets 1; left unset, the cluster keeps its
 * own level, because on a cluster the operator owns this is the operator's call.
 *
 * <p>Every service tries at start (any may be first); a principal without ALTER on the cluster
 * only logs it: on a secured cluster the operator's {@code ./llmlb-health acls --apply} does it.
 */
public final class TransactionVersionPin {

    /** Leave the cluster's level alone. */
    public static final int CLUSTER_DEFAULT = 0;
    static final String FEATURE = "transaction.version";
    private static final Logger LOG = Logger.getLogger(TransactionVersionPin.class.getName());

    private TransactionVersionPin() {
    }

    /**
     * Finalizes {@code wanted} (1 or 2) unless the cluster is there already; {@link #CLUSTER_DEFAULT}
     * does nothing. Never fails the start: the pipeline is correct at either level, only slower.
     */
    static void apply(Admin admin, int wanted, Duration timeout) throws InterruptedException {
        if (wanted == CLUSTER_DEFAULT) {
            return;
        }
        try {
            int current = finalizedLevel(admin, timeout);
            if (current == wanted) {
                return;
            }
            FeatureUpdate.UpgradeType type = wanted < current
                    ? FeatureUpdate.UpgradeType.SAFE_DOWNGRADE : FeatureUpdate.UpgradeType.UPGRADE;
            admin.updateFeatures(Map.of(FEATURE, new FeatureUpdate((short) wanted, type)), new UpdateFeaturesOptions())
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.warning("Kafka feature " + FEATURE + " finalized at " + wanted + " (was " + current
                    + ") as LLMLB_KAFKA_TRANSACTION_VERSION asks");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClusterAuthorizationException) {
                LOG.info("not allowed to set Kafka feature " + FEATURE + " to " + wanted + " (needs ALTER on the"
                        + " cluster); ./llmlb-health acls --apply sets it on a secured cluster");
            } else {
                // Another service may have set it a moment before: what counts is the level now.
                LOG.warning("Kafka feature " + FEATURE + " not set to " + wanted + ": " + e.getCause());
            }
        } catch (TimeoutException e) {
            LOG.warning("Kafka feature " + FEATURE + " not set to " + wanted + ": no answer within " + timeout);
        }
    }

    private static int finalizedLevel(Admin admin, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        FinalizedVersionRange range = admin.describeFeatures().featureMetadata()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).finalizedFeatures().get(FEATURE);
        return range == null ? 0 : range.maxVersionLevel();
    }
}
