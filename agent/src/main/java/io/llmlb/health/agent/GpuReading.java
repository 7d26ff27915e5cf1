package io.llmlb.health.agent;

import io.llmlb.health.wire.GpuMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The output of {@code nvidia-smi --query-gpu=utilization.gpu,memory.used,memory.total,temperature.gpu
 * --format=csv,noheader,nounits}, one line per GPU, folded into the one {@link GpuMetrics} a heartbeat
 * carries: mean utilisation, VRAM used over VRAM total across all GPUs, hottest temperature.
 * Fields a GPU does not support ({@code [N/A]}, {@code [Not Supported]}) are left out.
 */
public final class GpuReading {

    /** The arguments after the nvidia-smi binary. */
    public static final List<String> QUERY_ARGS = List.of(
            "--query-gpu=utilization.gpu,memory.used,memory.total,temperature.gpu",
            "--format=csv,noheader,nounits");

    private GpuReading() {
    }

    /** Folds the CSV lines; empty when no line has a usable figure. */
    public static Optional<GpuMetrics> parse(String csv) {
        List<Double> usages = new ArrayList<>();
        double vramUsed = 0;
        double vramTotal = 0;
        Double hottest = null;
        for (String line : csv.split("\n")) {
            String[] fields = line.split(",");
            if (fields.length < 4) {
                continue;
            }
            Double usage = number(fields[0]);
            Double used = number(fields[1]);
            Double total = number(fields[2]);
            Double temperature = number(fields[3]);
            if (usage != null) {
                usages.add(usage);
            }
            if (used != null && total != null && total > 0) {
                vramUsed += used;
                vramTotal += total;
            }
            if (temperature != null && (hottest == null || temperature > hottest)) {
                hottest = temperature;
            }
        }
        Double meanUsage = usages.isEmpty() ? null
                : CpuTimes.clampPercent(usages.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
        Double vram = vramTotal > 0 ? CpuTimes.clampPercent(100.0 * vramUsed / vramTotal) : null;
        // The server accepts -50..150 °C; a reading outside is a broken sensor, better left out.
        Double temperature = hottest != null && hottest >= -50 && hottest <= 150 ? hottest : null;
        if (meanUsage == null && vram == null && temperature == null) {
            return Optional.empty();
        }
        return Optional.of(new GpuMetrics(meanUsage, vram, temperature));
    }

    private static Double number(String field) {
        try {
            double value = Double.parseDouble(field.trim());
            return Double.isFinite(value) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
