package io.llmlb.health.query.view;

import io.llmlb.health.wire.DetectorEvent;
import io.llmlb.health.kafka.JsonSerde;
import io.llmlb.health.kafka.KafkaSettings;
import io.llmlb.health.kafka.TopicFollower;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Whether the detector holds its offline verdicts now: the latest {@link DetectorEvent} of every
 * state-processor task, read from {@code detector-events} from its beginning (so a restarted
 * query-api knows of a hold that began before it), for the dashboard's banner.
 */
public final class DetectorHolds implements AutoCloseable {

    private static final JsonSerde<DetectorEvent> SERDE = JsonSerde.of(DetectorEvent.class);

    /**
     * The fleet-wide picture: held when any task holds.
     *
     * @param heldNodes nodes past their deadline but not judged, summed over the holding tasks
     * @param since when the oldest current hold began, or null
     * @param untilAtMost when the last current hold ends at the latest; null when not held or when
     *        a hold has no bound (input path out)
     * @param causes the causes of the current holds
     */
    public record Summary(boolean holding, long heldNodes, Instant since, Instant untilAtMost, List<String> causes) {
        static final Summary NONE = new Summary(false, 0, null, null, List.of());
    }

    private final Map<String, DetectorEvent> latestByTask = new ConcurrentHashMap<>();
    private TopicFollower follower;

    DetectorHolds() {
    }

    /** Starts following the detector-events topic of {@code settings}. */
    public static DetectorHolds start(KafkaSettings settings, String clientId) {
        DetectorHolds holds = new DetectorHolds();
        holds.follower = TopicFollower.start(settings, settings.topics().detectorEvents(), clientId, holds::apply);
        return holds;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        DetectorEvent event;
        try {
            event = SERDE.deserialize(record.topic(), record.value());
        } catch (RuntimeException unreadable) {
            return; // one broken record must not stop the banner
        }
        accept(event);
    }

    /** Takes one event as the latest of its task (an older one, by time, is ignored). */
    void accept(DetectorEvent event) {
        if (event == null || event.task() == null || event.at() == null) {
            return;
        }
        latestByTask.merge(event.task(), event, (old, next) -> next.at().isBefore(old.at()) ? old : next);
    }

    /** The holds as of the latest events. */
    public Summary summary() {
        return summarise(latestByTask.values());
    }

    static Summary summarise(Collection<DetectorEvent> latest) {
        List<DetectorEvent> holding = latest.stream().filter(DetectorEvent::holding).toList();
        if (holding.isEmpty()) {
            return Summary.NONE;
        }
        long held = 0;
        Instant since = null;
        Instant until = null;
        boolean unbounded = false;
        List<String> causes = new ArrayList<>();
        for (DetectorEvent event : holding) {
            held += event.heldNodes();
            Instant began = event.since() == null ? event.at() : event.since();
            since = since == null || began.isBefore(since) ? began : since;
            if (event.holdUntilAtMost() == null) {
                unbounded = true;
            } else if (until == null || event.holdUntilAtMost().isAfter(until)) {
                until = event.holdUntilAtMost();
            }
            if (event.cause() != null && !causes.contains(event.cause())) {
                causes.add(event.cause());
            }
        }
        return new Summary(true, held, since, unbounded ? null : until, List.copyOf(causes));
    }

    /** Whether the topic is still followed. */
    public boolean isRunning() {
        return follower.isRunning();
    }

    @Override
    public void close() {
        follower.close();
    }
}
