package io.llmlb.health.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.regex.Pattern;

/**
 * Renames the few third-party meters (Kafka client metrics, Micrometer's CPU meters) that
 * {@code promtool check metrics} would flag, so the whole of /metrics lints clean: gauges do not
 * end in {@code _count}, and every meter has help text. Kafka's nanosecond and millisecond
 * client timings are left out ({@link #accept}): Prometheus wants seconds, and a filter can rename
 * a meter but not rescale it.
 *
 * <p>The {@code _count} gauges are renamed only in the exported name ({@link #NAMING}), not in the
 * meter's id: Micrometer's Kafka binder looks its meters up by their own name every minute, and
 * did not find a renamed one, so it registered it again ("This Gauge has been already registered").
 */
final class PromtoolFriendlyNames implements MeterFilter {

    /** Prometheus names, with gauges ending in {@code _number} instead of {@code _count}. */
    static final NamingConvention NAMING = new PrometheusNamingConvention() {
        @Override
        public String name(String name, Meter.Type type, String baseUnit) {
            String exported = type == Meter.Type.GAUGE && name.endsWith(".count")
                    ? name.substring(0, name.length() - ".count".length()) + ".number"
                    : name;
            return super.name(exported, type, baseUnit);
        }
    };

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
        String baseUnit = id.getBaseUnit();
        String description = id.getDescription() == null || id.getDescription().isBlank()
                ? "Kafka client metric " + id.getName()
                : id.getDescription();
        return new Meter.Id(name, io.micrometer.core.instrument.Tags.of(id.getTags()), baseUnit, description, id.getType());
    }
}
