package io.llmlb.health.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.simulator.LatencyHistogram;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report and the plot from made-up figures: every section renders and the goals are judged. */
class BenchReportTest {

    @TempDir
    Path dir;

    @Test
    void reportJudgesTheGoalsAndThePlotIsAPng() throws Exception {
        Figures figures = figures();

        String markdown = ReportWriter.render(figures, "detection-lag.png");
        Path png = dir.resolve("detection-lag.png");
        LagPlot.write(figures.lags, png);

        assertTrue(markdown.contains("| detection lag p99 ≤ 2 s at a 1 s check interval with 100,000 nodes |"
                + " p99 0.99 s (visible 1.09 s), 10,000/10,000 detected, 0 false at 100,000 nodes | met |"), markdown);
        assertTrue(markdown.contains("| ingest ≥ 40 % of the bare-HTTP ceiling | 25 % | **missed** |"), markdown);
        assertTrue(markdown.contains("| ≤ 1 KiB heap per tracked node | 3,000 bytes | **missed** |"), markdown);
        assertTrue(markdown.contains("10,000/s answered, p99 40.0 ms"), markdown);
        assertTrue(markdown.contains("![Detection lag distribution](detection-lag.png)"), markdown);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(960, image.getWidth());
        assertEquals(560, image.getHeight());
    }

    private static Figures figures() {
        Figures f = new Figures();
        f.quick = false;
        f.command = "./llmlb-health bench";
        f.startedAt = ZonedDateTime.parse("2026-01-01T12:00:00Z");
        f.took = Duration.ofMinutes(15);
        f.machine = new Machine(2, 24L << 30, "Test CPU", "JDK 25", "Linux", "0.5 0.5 0.5");
        f.plans = ServerPlan.of(false);
        f.silencedShare = 0.1;
        f.closedLoopClients = 256;
        f.openLoopRate = 10_000;
        f.ingest = result(10_000, 1.4, 20);
        f.bareHttp = result(40_000, 1.0, 5);
        f.openLoop = result(10_000, 1.6, 40);
        f.openLoopNodes = 100_000;
        f.memory.add(new Figures.Memory("B", 0, 170L << 20, 300L << 20, 450L << 20, Map.of("[B", 1_000L)));
        f.memory.add(new Figures.Memory("B", 100_000, (170L << 20) + 300_000_000L, 1500L << 20, 2000L << 20,
                Map.of("[B", 1_000L + 120_000_000L)));
        for (int nodes : new int[] {1_000, 10_000, 100_000}) {
            for (int interval : new int[] {1, 10}) {
                long[] lags = LongStream.range(0, nodes / 10).map(i -> i * interval * 1000L / (nodes / 10)).toArray();
                long[] visible = LongStream.of(lags).map(lag -> lag + 100).toArray();
                f.lags.add(new Figures.Lag(nodes, Duration.ofSeconds(interval), Duration.ofSeconds(10),
                        Duration.ofSeconds(20), lags, visible, nodes / 10, 0, new CpuWindow(0.5, 0.1, 0, Map.of())));
            }
        }
        f.listings.add(new Figures.Listing(1_000, "/v0/nodes", new long[] {40, 50}, 400_000));
        f.backOnline = new Figures.BackOnline(10_000, new long[] {100, 110, 150});
        return f;
    }

    private static HttpLoad.Result result(double perSecond, double serverCores, long latencyMillis) {
        LatencyHistogram latency = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            latency.record(Duration.ofMillis(latencyMillis));
        }
        return new HttpLoad.Result((long) perSecond * 10, 0, perSecond, latency, 0,
                new CpuWindow(serverCores, 0.3, 0.1, Map.of("HTTP", serverCores / 2, "broker", serverCores / 2)));
    }
}
