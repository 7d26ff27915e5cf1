package io.llmlb.health.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.wire.GpuMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcParsersTest {

    @Test
    void cpuUsageIsTheBusyShareBetweenTwoSamples() {
        CpuTimes first = CpuTimes.parse(Fixtures.text("stat-1")).orElseThrow();
        CpuTimes second = CpuTimes.parse(Fixtures.text("stat-2")).orElseThrow();

        // user+nice+system+idle+iowait+irq+softirq+steal; guest is already inside user
        assertEquals(new CpuTimes(3699 + 23, 9390), first);
        // 300 jiffies passed, 150 of them idle or waiting on I/O
        assertEquals(50.0, second.usagePercentSince(first), 1e-9);
    }

    @Test
    void firstSampleReportsTheAverageSinceBoot() {
        CpuTimes only = CpuTimes.parse(Fixtures.text("stat-1")).orElseThrow();

        assertEquals(100.0 * (9390 - 3722) / 9390, only.usagePercentSince(null), 1e-9);
        assertEquals(only.usagePercentSinceBoot(), only.usagePercentSince(only), 1e-9);
    }

    @Test
    void countersGoingBackwardsDoNotGiveNonsense() {
        CpuTimes later = CpuTimes.parse(Fixtures.text("stat-2")).orElseThrow();
        CpuTimes earlier = CpuTimes.parse(Fixtures.text("stat-1")).orElseThrow();

        double usage = earlier.usagePercentSince(later);

        assertTrue(usage >= 0 && usage <= 100, "usage " + usage);
    }

    @Test
    void statWithoutCpuLineGivesNothing() {
        assertTrue(CpuTimes.parse("intr 1 2 3\nctxt 5\n").isEmpty());
        assertTrue(CpuTimes.parse("cpu  a b c d e\n").isEmpty());
    }

    @Test
    void memoryInUseIsTotalMinusAvailable() {
        assertEquals(75.0, MemInfo.usagePercent(Fixtures.text("meminfo")).orElseThrow(), 1e-9);
    }

    @Test
    void oldKernelsWithoutMemAvailableCountCacheAsAvailable() {
        // available = free 100000 + buffers 50000 + cached 250000 of 1000000
        assertEquals(60.0, MemInfo.usagePercent(Fixtures.text("meminfo-old-kernel")).orElseThrow(), 1e-9);
    }

    @Test
    void meminfoWithoutTotalGivesNothing() {
        assertTrue(MemInfo.usagePercent("MemFree: 10 kB\n").isEmpty());
    }

    @Test
    void severalGpusFoldIntoMeanUsagePooledVramAndHottestTemperature() {
        GpuMetrics gpu = GpuReading.parse(Fixtures.text("nvidia-smi-two-gpus.csv")).orElseThrow();

        assertEquals(new GpuMetrics(50.0, 37.5, 71.0), gpu);
    }

    @Test
    void unsupportedGpuFieldsAreLeftOut() {
        GpuMetrics gpu = GpuReading.parse(Fixtures.text("nvidia-smi-unsupported.csv")).orElseThrow();

        assertNull(gpu.usage());
        assertEquals(12.5, gpu.vramUsage(), 1e-9);
        assertNull(gpu.temperature());
    }

    @Test
    void implausibleGpuTemperatureIsLeftOutRatherThanRefusedByTheServer() {
        GpuMetrics gpu = GpuReading.parse("10, 1, 2, 200\n").orElseThrow();

        assertNull(gpu.temperature());
        assertEquals(10.0, gpu.usage());
    }

    @Test
    void noGpuLinesGiveNoGpuMetrics() {
        assertTrue(GpuReading.parse("").isEmpty());
        assertTrue(GpuReading.parse("No devices were found\n").isEmpty());
    }

    @Test
    void modelsAreReadOnePerLineOrCommaSeparated() {
        assertEquals(List.of("llama-3.2-1b", "qwen2.5-7b"), MetricsProbe.parseModels("llama-3.2-1b\n\nqwen2.5-7b\n"));
        assertEquals(List.of("a", "b"), MetricsProbe.parseModels(" a , b "));
        assertEquals(List.of(), MetricsProbe.parseModels("\n"));
    }
}
