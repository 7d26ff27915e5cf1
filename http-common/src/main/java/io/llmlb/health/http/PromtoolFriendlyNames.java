package io.llmlb.health.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.regex.Pattern;

/**
 * Renames the few third-party meters (Kafka client metrics, Micrometer's CPU meters) that
 * {@code promtool check metrics} would flag, so the whole of /metrics lints clean: gauges do not
 * end in {@code _count}, and every meter has help text. Kafka's nanosecond and millisecond
 * client timings are left out ({@link #accept}): Prometheus wants seconds, and a filter can rename
 * a meter but not rescale it.
 */
final class PromtoolFriendlyNames implements MeterFilter {

    private static final Pattern SUBSECOND_UNIT = Pattern.compile("(^|\\.)(ns|ms)(\\.|$)");

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        boolean subsecond = SUBSECOND_UNIT.matcher(id.getName().replace('-', '.')).find()
                || "ns".equals(id.getBaseUnit());
        return subsecond ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = id.getName().replace('-', '.');
        if (id.getType() == Meter.Type.GAUGE && name.endsWith(".count")) {
            name = name.substring(0, name.length() - ".count".length()) + ".number";
        }
        String baseUnit = id.getBaseUnit();
        String description = id.getDescription() == null || id.getDescription().isBlank()
                ? "Kafka client metric " + id.getName()
                : id.getDescription();
        return new Meter.Id(name, io.micrometer.core.instrument.Tags.of(id.getTags()), baseUnit, description, id.getType());
    }
}
