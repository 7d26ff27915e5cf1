package io.llmlb.health.agent;

import java.util.Optional;

/**
 * The aggregate {@code cpu} line of {@code /proc/stat}: jiffies spent idle (idle + iowait) and in
 * total since boot. CPU usage is the busy share of the difference between two samples.
 *
 * @param idle idle and iowait jiffies
 * @param total all jiffies (guest time is already inside user and nice, so it is not added again)
 */
public record CpuTimes(long idle, long total) {

    /** Parses the text of {@code /proc/stat}; empty when it has no usable {@code cpu} line. */
    public static Optional<CpuTimes> parse(String procStat) {
        for (String line : procStat.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 5 || !fields[0].equals("cpu")) {
                continue;
            }
            try {
                // user nice system idle iowait irq softirq steal [guest guest_nice]
                long total = 0;
                int counted = Math.min(fields.length - 1, 8);
                for (int i = 1; i <= counted; i++) {
                    total += Long.parseLong(fields[i]);
                }
                long idle = Long.parseLong(fields[4]) + (fields.length > 5 ? Long.parseLong(fields[5]) : 0);
                return Optional.of(new CpuTimes(idle, total));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Percent of CPU time busy between {@code earlier} and this sample; when no time passed
     * (or the counters went backwards), the average since boot of this sample.
     */
    public double usagePercentSince(CpuTimes earlier) {
        long totalDelta = earlier == null ? 0 : total - earlier.total;
        long idleDelta = earlier == null ? 0 : idle - earlier.idle;
        if (totalDelta <= 0 || idleDelta < 0) {
            return usagePercentSinceBoot();
        }
        return clampPercent(100.0 * (totalDelta - idleDelta) / totalDelta);
    }

    /** Percent of CPU time busy since boot. */
    public double usagePercentSinceBoot() {
        return total <= 0 ? 0.0 : clampPercent(100.0 * (total - idle) / total);
    }

    static double clampPercent(double value) {
        return Math.max(0.0, Math.min(100.0, value));
    }
}
