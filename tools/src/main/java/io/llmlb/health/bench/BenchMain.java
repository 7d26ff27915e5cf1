package io.llmlb.health.bench;

import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import io.llmlb.health.wire.InputPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code ./llmlb-health bench [--quick] [--out DIR]}: measures the system on this machine and
 * writes {@code DIR/benchmarks.md} and {@code DIR/detection-lag.png} (default DIR: docs). Not a
 * test: it prints figures and judges nothing but the goals it reports on.
 * {@code ./llmlb-health bench --login-flood} measures only the login-flood row (about 2 minutes)
 * and prints it, writing nothing. {@code ./llmlb-health bench --read-side} measures memory, the
 * listings, {@code /metrics} (per-node series on) and the heartbeat CPU at 10,000 and 100,000 nodes
 * (about 8 minutes) and prints them, writing nothing; {@code --services-alone} only its 100,000-node
 * server, with a query-api and a state-processor each alone in its own JVM beside it.
 * {@code ./llmlb-health bench --detection [--nodes N] [--interval S] [--silent-share F]} measures
 * sweep time against fleet size, the steady detection lag and a mass expiry at a (sub-second)
 * check interval ({@link DetectionSpeed}; about 10 minutes at 100,000 nodes) and prints them.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        boolean quick = false;
        boolean loginFloodOnly = false;
        boolean readSideOnly = false;
        boolean detection = false;
        int nodes = 100_000;
        String interval = "0.1";
        double silentShare = 0.4;
        int massExpiryRuns = 0;
        boolean servicesAloneOnly = false;
        Path out = Path.of("docs");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--login-flood" -> loginFloodOnly = true;
                case "--read-side" -> readSideOnly = true;
                case "--detection" -> detection = true;
                case "--nodes" -> nodes = (int) number(args, ++i, "--nodes", 1_000, 1_000_000);
                case "--interval" -> interval = value(args, ++i, "--interval");
                case "--silent-share" -> silentShare = number(args, ++i, "--silent-share", 0.01, 0.49);
                case "--mass-expiry-runs" -> massExpiryRuns = (int) number(args, ++i, "--mass-expiry-runs", 1, 20);
                case "--services-alone" -> servicesAloneOnly = true;
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        usage("--out needs a folder");
                    }
                    out = Path.of(args[++i]);
                }
                case "-h", "--help" -> usage(null);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (loginFloodOnly) {
            Figures figures = new Bench(false, System.out).run("./llmlb-health bench --login-flood",
                    ServerPlan.loginFloodOnly());
            System.out.println();
            ReportWriter.loginFloodLines(figures.loginFlood).forEach(System.out::println);
            System.exit(0);
        }
        if (detection) {
            Duration checkInterval;
            try {
                checkInterval = InputPath.checkInterval(new EnvReader(Map.of(InputPath.CHECK_INTERVAL_VARIABLE, interval)));
            } catch (ConfigException e) {
                usage("--interval: " + e.getMessage());
                return;
            }
            String command = String.format("./llmlb-health bench --detection --nodes %d --interval %s --silent-share %s",
                    nodes, interval, silentShare) + (massExpiryRuns > 0 ? " --mass-expiry-runs " + massExpiryRuns : "");
            String report = new Bench(false, System.out).runDetection(command,
                    ServerPlan.detectionSpeed(nodes, checkInterval, massExpiryRuns > 0), silentShare, massExpiryRuns);
            System.out.println();
            System.out.println(report);
            System.exit(0);
        }
        if (readSideOnly || servicesAloneOnly) {
            // --services-alone: only server B of --read-side (100,000 nodes, each service alone beside it).
            // Not quick: the heartbeat CPU is one of its figures, and in the quick run's 8 s of JIT
            // warm-up the compilers still took a sixth of it (docs/benchmarks.md, figure 10g).
            List<ServerPlan> plans = servicesAloneOnly ? List.of(ServerPlan.readSide().getLast()) : ServerPlan.readSide();
            Figures figures = new Bench(false, true, System.out).run("./llmlb-health bench "
                    + (servicesAloneOnly ? "--services-alone" : "--read-side"), plans);
            System.out.println();
            System.out.println(ReportWriter.renderReadSide(figures));
            System.exit(0);
        }
        String command = "./llmlb-health bench" + (quick ? " --quick" : "")
                + (out.equals(Path.of("docs")) ? "" : " --out " + out);
        Figures figures = new Bench(quick, System.out).run(command);
        Files.createDirectories(out);
        Path plot = out.resolve("detection-lag.png");
        LagPlot.write(figures.lags, plot);
        Path report = out.resolve("benchmarks.md");
        Files.writeString(report, ReportWriter.render(figures, plot.getFileName().toString()), StandardCharsets.UTF_8);
        System.out.println("wrote " + report + " and " + plot);
        System.exit(0);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static double number(String[] args, int i, String option, double min, double max) {
        String raw = value(args, i, option);
        try {
            double number = Double.parseDouble(raw);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(option + " " + raw + ": expected a number in " + min + ".." + max);
        return Double.NaN;
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println(problem);
        }
        System.err.println("usage: ./llmlb-health bench [--quick] [--out DIR]   (writes DIR/benchmarks.md and"
                + " DIR/detection-lag.png; DIR defaults to docs)");
        System.err.println("       ./llmlb-health bench --login-flood       (only the login-flood row, printed)");
        System.err.println("       ./llmlb-health bench --detection [--nodes N] [--interval S] [--silent-share F]"
                + " [--mass-expiry-runs N]   (sweep time vs fleet size, detection lag and mass expiry; defaults 100000,"
                + " 0.1, 0.4; printed; with --mass-expiry-runs only the mass expiry, N times on the whole fleet)");
        System.err.println("       ./llmlb-health bench --read-side         (memory, GET /v0/nodes, /metrics and heartbeat"
                + " CPU at 10,000 and 100,000 nodes, printed)");
        System.err.println("       ./llmlb-health bench --services-alone    (--read-side's 100,000-node server only, with the"
                + " heap per node of a query-api and a state-processor each in its own JVM, printed)");
        System.exit(problem == null ? 0 : 2);
    }
}
