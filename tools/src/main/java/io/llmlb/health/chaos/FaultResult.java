package io.llmlb.health.chaos;

import java.util.List;
import java.util.Map;

/**
 * The measures for one fault.
 *
 * @param name the fault
 * @param description what was done
 * @param lost heartbeats answered 200 so far (whole run) that the counts did not include when read
 *        after this fault; 0 means every 200 until then is counted
 * @param duplicates counts above what was sent, whole run so far
 * @param countsSettled whether the counts were read after they stopped moving (else a lower bound)
 * @param falseOffline timeout verdicts of nodes that kept beating
 * @param silenced nodes silenced just before the fault
 * @param silencedJudged how many of them were called offline before the fault's window closed
 * @param lagsMillis detection lag of each judged silenced node: verdict − (last_seen + timeout)
 * @param lagsAfterInjectionMillis the same, of the nodes whose deadline (last_seen + timeout) came
 *        at or after the fault took effect (its docker command returned): the ones the fault could
 *        delay. On a loaded host the docker CLI may take seconds to deliver a fault, and deadlines
 *        before it say nothing about it
 * @param errors failed heartbeats by kind (status code, connection, timeout)
 * @param longestErrorMillis the longest stretch one node saw only errors (first error to next 200)
 * @param longestWaitMillis the longest one node waited for a 200, from sending a heartbeat to the
 *        next 200, through errors and retries or one slow answer ("acknowledged again within")
 * @param nodesWithErrors nodes that saw at least one error
 * @param seqAnomalies gaps or repeats in any node's seq on the changes topic
 * @param recoveryMillis from the injection to the last node's first 200 after its errors, or to
 *        the stack's recovery, whichever is later
 * @param injectedAtMillis when the fault was injected (for the plot)
 */
record FaultResult(String name, String description, long lost, long duplicates, boolean countsSettled,
                   long falseOffline, int silenced, int silencedJudged, List<Long> lagsMillis, List<Long> lagsAfterInjectionMillis,
                   Map<String, Long> errors, long longestErrorMillis, long longestWaitMillis, int nodesWithErrors, int seqAnomalies,
                   long recoveryMillis, long injectedAtMillis) {

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    long lagPercentile(double share) {
        return percentile(lagsMillis, share);
    }

    /** {@link #lagPercentile} of the nodes whose deadline came at or after the injection; -1 when none did. */
    long lagAfterInjectionPercentile(double share) {
        return percentile(lagsAfterInjectionMillis, share);
    }

    /** The nearest-rank percentile of {@code values}; -1 when there are none. */
    static long percentile(List<Long> values, double share) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(share * sorted.size()) - 1));
    }
}
