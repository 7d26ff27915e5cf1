package io.llmlb.health.chaos;

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
 * Nodes seen online (from the changes topic) and failed heartbeats per second over the run, one
 * vertical mark per fault injection; plain AWT in headless mode, like the bench's lag plot.
 */
final class TimelinePlot {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 80;
    private static final int TOP = 60;
    private static final int BOTTOM = 60;
    private static final Color ONLINE = new Color(0x1f77b4);
    private static final Color ERRORS = new Color(0xd62728);

    private TimelinePlot() {
    }

    static void write(List<Chaos.Sample> samples, List<FaultResult> faults, int fleet, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, samples, faults, fleet);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static void draw(Graphics2D g, List<Chaos.Sample> samples, List<FaultResult> faults, int fleet) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString("Nodes seen online (blue, left axis) and failed heartbeats per second (red, right axis)", LEFT, 32);
        if (samples.size() < 2) {
            return;
        }
        long start = samples.getFirst().atMillis();
        double span = Math.max(1, samples.getLast().atMillis() - start);
        long maxErrors = Math.max(1, samples.stream().mapToLong(Chaos.Sample::errors).max().orElse(1));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xe5e5e5));
        for (int i = 0; i <= 5; i++) {
            int py = TOP + plotHeight - i * plotHeight / 5;
            g.drawLine(LEFT, py, LEFT + plotWidth, py);
        }
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i <= 5; i++) {
            int py = TOP + plotHeight - i * plotHeight / 5;
            g.drawString(String.valueOf(fleet * i / 5), 10, py + 4);
            g.drawString(String.format(Locale.ROOT, "%.0f", maxErrors * i / 5.0), LEFT + plotWidth + 10, py + 4);
        }
        for (int minute = 0; minute * 60_000L <= span; minute += Math.max(1, (int) (span / 60_000 / 12))) {
            int px = LEFT + (int) Math.round(minute * 60_000L / span * plotWidth);
            g.drawString(minute + " min", px - 12, TOP + plotHeight + 20);
        }
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        for (FaultResult fault : faults) {
            int px = LEFT + (int) Math.round((fault.injectedAtMillis() - start) / span * plotWidth);
            g.setColor(Color.GRAY);
            g.drawLine(px, TOP, px, TOP + plotHeight);
            g.drawString(fault.name(), px + 3, TOP + 12 + 14 * (faults.indexOf(fault) % 3));
        }
        g.setStroke(new BasicStroke(2f));
        Path2D online = new Path2D.Double();
        Path2D errors = new Path2D.Double();
        for (int i = 0; i < samples.size(); i++) {
            Chaos.Sample s = samples.get(i);
            double x = LEFT + (s.atMillis() - start) / span * plotWidth;
            double yOnline = TOP + plotHeight - (double) s.online() / Math.max(1, fleet) * plotHeight;
            double yErrors = TOP + plotHeight - (double) s.errors() / maxErrors * plotHeight;
            if (i == 0) {
                online.moveTo(x, yOnline);
                errors.moveTo(x, yErrors);
            } else {
                online.lineTo(x, yOnline);
                errors.lineTo(x, yErrors);
            }
        }
        g.setColor(ERRORS);
        g.draw(errors);
        g.setColor(ONLINE);
        g.draw(online);
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
    }
}
