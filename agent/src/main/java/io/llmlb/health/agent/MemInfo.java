package io.llmlb.health.agent;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code /proc/meminfo}. Memory in use is what the kernel cannot hand to a new process
 * without swapping: {@code MemTotal - MemAvailable}. Kernels before 3.14 lack MemAvailable; there
 * free + buffers + page cache approximates it.
 */
public final class MemInfo {

    private MemInfo() {
    }

    /** Percent of memory in use, or empty when the text lacks MemTotal. */
    public static Optional<Double> usagePercent(String procMeminfo) {
        Map<String, Long> kib = new HashMap<>();
        for (String line : procMeminfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] value = line.substring(colon + 1).trim().split("\\s+");
            try {
                kib.put(line.substring(0, colon).trim(), Long.parseLong(value[0]));
            } catch (NumberFormatException e) {
                // a line we do not need in a format we do not know: skip it
            }
        }
        Long total = kib.get("MemTotal");
        if (total == null || total <= 0) {
            return Optional.empty();
        }
        Long available = kib.get("MemAvailable");
        if (available == null) {
            available = kib.getOrDefault("MemFree", 0L) + kib.getOrDefault("Buffers", 0L)
                    + kib.getOrDefault("Cached", 0L);
        }
        return Optional.of(CpuTimes.clampPercent(100.0 * (total - available) / total));
    }
}
