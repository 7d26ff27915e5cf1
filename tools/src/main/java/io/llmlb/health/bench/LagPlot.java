package io.llmlb.health.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws the detection-lag distributions as cumulative curves (share of silenced nodes detected
 * within x seconds past their deadline), one per fleet size and check interval; plain AWT in
 * headless mode, no charting library.
 */
final class LagPlot {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
        new Color(0x8c564b)};

    private LagPlot() {
    }

    static void write(List<Figures.Lag> lags, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, lags);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static void draw(Graphics2D g, List<Figures.Lag> lags) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        long maxMillis = lags.stream().mapToLong(l -> l.decided().length == 0 ? 0 : l.decided()[l.decided().length - 1])
                .max().orElse(1_000);
        double xMaxSeconds = niceCeiling(Math.max(1.0, maxMillis / 1000.0));

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString("Detection lag: at \u2212 (last_seen + timeout), cumulative", LEFT, 32);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        // grid and axes
        double xStep = niceStep(xMaxSeconds);
        for (double x = 0; x <= xMaxSeconds + 1e-9; x += xStep) {
            int px = LEFT + (int) Math.round(x / xMaxSeconds * plotWidth);
            g.setColor(new Color(0xe5e5e5));
            g.drawLine(px, TOP, px, TOP + plotHeight);
            g.setColor(Color.DARK_GRAY);
            String label = xStep < 1 ? String.format(Locale.ROOT, "%.1f", x) : String.format(Locale.ROOT, "%.0f", x);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + plotHeight + 18);
        }
        for (int percent = 0; percent <= 100; percent += 20) {
            int py = TOP + plotHeight - (int) Math.round(percent / 100.0 * plotHeight);
            g.setColor(new Color(0xe5e5e5));
            g.drawLine(LEFT, py, LEFT + plotWidth, py);
            g.setColor(Color.DARK_GRAY);
            String label = percent + " %";
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        String xTitle = "seconds past the node's deadline until the detector declared it offline";
        g.drawString(xTitle, LEFT + (plotWidth - g.getFontMetrics().stringWidth(xTitle)) / 2, HEIGHT - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        String yTitle = "silenced nodes detected";
        rotated.drawString(yTitle, -(TOP + (plotHeight + rotated.getFontMetrics().stringWidth(yTitle)) / 2), 22);
        rotated.dispose();

        // one cumulative curve per scenario, and a legend in the lower right where the curves have risen
        List<String> labels = lags.stream().map(lag -> String.format(Locale.ROOT,
                "%,d nodes, %d s check: p50 %.2f s, p99 %.2f s", lag.nodes(), lag.checkInterval().toSeconds(),
                LongList.percentile(lag.decided(), 0.5) / 1000.0, LongList.percentile(lag.decided(), 0.99) / 1000.0))
                .toList();
        int textWidth = labels.stream().mapToInt(label -> g.getFontMetrics().stringWidth(label)).max().orElse(0);
        int legendWidth = 42 + textWidth + 12;
        int legendHeight = lags.size() * 20 + 8;
        int legendX = LEFT + plotWidth - legendWidth - 10;
        int legendY = TOP + plotHeight - legendHeight - 10;
        g.setColor(Color.WHITE);
        g.fillRect(legendX, legendY, legendWidth, legendHeight);
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(legendX, legendY, legendWidth, legendHeight);
        for (int i = 0; i < lags.size(); i++) {
            Figures.Lag lag = lags.get(i);
            long[] sorted = lag.decided();
            Color color = COLORS[i % COLORS.length];
            boolean dashed = lag.checkInterval().toSeconds() > 1;
            BasicStroke stroke = dashed ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {8f, 5f}, 0f) : new BasicStroke(2.2f);
            g.setColor(color);
            g.setStroke(stroke);
            if (sorted.length > 0) {
                Path2D.Double curve = new Path2D.Double();
                curve.moveTo(LEFT, TOP + plotHeight);
                for (int k = 0; k < sorted.length; k++) {
                    double px = LEFT + Math.min(1.0, sorted[k] / 1000.0 / xMaxSeconds) * plotWidth;
                    double share = (k + 1) / (double) sorted.length;
                    double previousShare = k / (double) sorted.length;
                    curve.lineTo(px, TOP + plotHeight - previousShare * plotHeight);
                    curve.lineTo(px, TOP + plotHeight - share * plotHeight);
                }
                curve.lineTo(LEFT + plotWidth, TOP);
                g.draw(curve);
            }
        }
        for (int i = 0; i < lags.size(); i++) {
            int ly = legendY + 20 + i * 20;
            g.setColor(COLORS[i % COLORS.length]);
            g.setStroke(lags.get(i).checkInterval().toSeconds() > 1 ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 5f}, 0f) : new BasicStroke(2.2f));
            g.drawLine(legendX + 6, ly - 4, legendX + 36, ly - 4);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(labels.get(i), legendX + 42, ly);
        }
    }

    /** 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12 ... at or above {@code value}. */
    static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double niceStep(double range) {
        double rough = range / 10;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= rough) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
