package io.llmlb.health.simulator;

import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code ./llmlb-health simulate} was asked to do.
 *
 * @param nodes {@code --nodes N}: how many simulated nodes
 * @param interval {@code --interval S}: each node's heartbeat interval
 * @param failFraction {@code --fail F}: share of nodes killed at a time (0..1)
 * @param duration {@code --duration D}: how long to run; null until Ctrl-C
 * @param downTime {@code --down D}: how long killed nodes stay silent before they revive
 * @param prefix {@code --prefix P}: node ids are the prefix and a number
 * @param concurrency {@code --concurrency C}: most heartbeat requests in flight at once
 * @param baseUrl {@code LLMLB_URL}
 * @param adminUser {@code LLMLB_ADMIN_USER}
 * @param adminPassword {@code LLMLB_ADMIN_PASSWORD}
 */
public record SimulatorOptions(int nodes,
                               Duration interval,
                               double failFraction,
                               Duration duration,
                               Duration downTime,
                               String prefix,
                               int concurrency,
                               URI baseUrl,
                               String adminUser,
                               String adminPassword) {

    public static final String USAGE = """
            usage: ./llmlb-health simulate --nodes N --interval S [--fail FRACTION] [--duration D]
                                           [--down D] [--prefix P] [--concurrency C]
              --nodes N         simulated nodes to register, approve and heartbeat (the server's
                                LLMLB_MAX_NODES must allow them)
              --interval S      heartbeat interval of each node, seconds (e.g. 10)
              --fail FRACTION   share of nodes killed at a time, 0..1 (default 0); killed nodes fall
                                silent for --down, then revive and another random set is killed
              --duration D      stop after D (90, 90s, 5m, 1h); default: run until Ctrl-C
              --down D          how long killed nodes stay silent (default 90s: past the default
                                60 s LLMLB_NODE_TIMEOUT, so they are seen offline)
              --prefix P        node id prefix (default sim-)
              --concurrency C   most requests in flight (default 256)
            environment: LLMLB_URL (default http://localhost:8080), LLMLB_ADMIN_USER / LLMLB_ADMIN_PASSWORD
            (default admin / test)""";

    /** Parses the command line; the environment supplies the server and the admin login. */
    public static SimulatorOptions parse(String[] args, Map<String, String> environment) {
        Integer nodes = null;
        Duration interval = null;
        double fail = 0;
        Duration duration = null;
        Duration down = Duration.ofSeconds(90);
        String prefix = "sim-";
        int concurrency = 256;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                throw new ConfigException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new ConfigException(flag + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (flag) {
                case "--nodes" -> nodes = (int) wholeNumber(flag, value, 1, 1_000_000);
                case "--interval" -> interval = duration(flag, value);
                case "--fail" -> fail = fraction(flag, value);
                case "--duration" -> duration = duration(flag, value);
                case "--down" -> down = duration(flag, value);
                case "--prefix" -> prefix = value;
                case "--concurrency" -> concurrency = (int) wholeNumber(flag, value, 1, 10_000);
                default -> throw new ConfigException("unknown option " + flag + "\n" + USAGE);
            }
        }
        if (nodes == null || interval == null) {
            throw new ConfigException("--nodes and --interval are required\n" + USAGE);
        }
        if (!prefix.matches("[A-Za-z0-9._-]{1,50}")) {
            throw new ConfigException("--prefix " + prefix + " must be 1-50 letters, digits, '.', '_' or '-'");
        }
        EnvReader env = new EnvReader(environment);
        String url = env.string("LLMLB_URL", "http://localhost:8080");
        URI baseUrl;
        try {
            baseUrl = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("LLMLB_URL=" + url + " is not a URL");
        }
        return new SimulatorOptions(nodes, interval, fail, duration, down, prefix, concurrency, baseUrl,
                env.string("LLMLB_ADMIN_USER", "admin"), env.string("LLMLB_ADMIN_PASSWORD", "test"));
    }

    /** The id of simulated node {@code index}: the prefix and a zero-padded number, so ids sort. */
    public String nodeId(int index) {
        int digits = Math.max(5, String.valueOf(nodes).length());
        return prefix + String.format("%0" + digits + "d", index);
    }

    private static long wholeNumber(String flag, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value.replace("_", "").replace(",", ""));
            if (parsed < min || parsed > max) {
                throw new ConfigException(flag + " " + value + " is out of range; allowed " + min + ".." + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(flag + " " + value + " is not a whole number");
        }
    }

    private static double fraction(String flag, String value) {
        try {
            double parsed = Double.parseDouble(value);
            if (!(parsed >= 0 && parsed <= 1)) {
                throw new ConfigException(flag + " " + value + " must be between 0 and 1");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(flag + " " + value + " is not a number between 0 and 1");
        }
    }

    /** Seconds (decimals allowed) or a number with s, m or h. */
    static Duration duration(String flag, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        double unit = 1;
        if (text.endsWith("ms")) {
            unit = 0.001;
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("s")) {
            text = text.substring(0, text.length() - 1);
        } else if (text.endsWith("m")) {
            unit = 60;
            text = text.substring(0, text.length() - 1);
        } else if (text.endsWith("h")) {
            unit = 3600;
            text = text.substring(0, text.length() - 1);
        }
        try {
            double seconds = Double.parseDouble(text) * unit;
            if (!(seconds > 0) || seconds > 30 * 86_400) {
                throw new ConfigException(flag + " " + value + " must be a positive duration");
            }
            return Duration.ofNanos((long) (seconds * 1e9));
        } catch (NumberFormatException e) {
            throw new ConfigException(flag + " " + value + " is not a duration (e.g. 10, 10s, 5m, 1h)");
        }
    }
}
