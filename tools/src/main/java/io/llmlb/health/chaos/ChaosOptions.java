package io.llmlb.health.chaos;

import io.llmlb.health.wire.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code ./llmlb-health chaos}.
 *
 * @param quick 300 nodes (under 10 minutes of faults) instead of 2,000
 * @param nodes fleet size ({@code --nodes})
 * @param period each node's heartbeat period ({@code --period} seconds, default 10)
 * @param faults the faults to run ({@code --faults a,b}); empty means all
 * @param project compose project name ({@code --project}, default llmlb-chaos, with dedicated controllers
 *        llmlb-chaos-dc)
 * @param gatewayPort the gateway's port on 127.0.0.1 ({@code --gateway-port}, default 18080)
 * @param kafkaPorts the brokers' published EXTERNAL ports ({@code --kafka-ports}, default 19192,19193,19194)
 * @param prometheusPort Prometheus's published port (default 19190)
 * @param keep leave a stack this run started running ({@code --keep})
 * @param report where docs/reliability.md and the plot go ({@code --report-dir}, default docs)
 * @param nodeTimeout the stack's node timeout (30 s, the seed's minimum)
 * @param checkInterval the stack's check interval (1 s)
 * @param adminUser admin user of the stack
 * @param adminPassword its password
 * @param topicPrefix the stack's topic prefix
 * @param dedicatedControllers the stack runs three KRaft controllers of their own
 *        ({@code --dedicated-controllers}: docker-compose.controllers.yml over docker-compose.yml)
 */
record ChaosOptions(boolean quick, int nodes, Duration period, List<String> faults, String project, int gatewayPort,
                    List<Integer> kafkaPorts, int prometheusPort, boolean keep, Path report, Duration nodeTimeout,
                    Duration checkInterval, String adminUser, String adminPassword, String topicPrefix,
                    boolean dedicatedControllers) {

    static final String USAGE = "usage: ./llmlb-health chaos [--quick] [--nodes N] [--period S] [--faults a,b,...]"
            + " [--project NAME] [--gateway-port P] [--kafka-ports P1,P2,P3] [--keep] [--report-dir DIR]"
            + " [--dedicated-controllers]";

    static ChaosOptions parse(String[] args) {
        boolean quick = false;
        Integer nodes = null;
        int period = 10;
        List<String> faults = List.of();
        String project = null;
        int gatewayPort = 18080;
        List<Integer> kafkaPorts = List.of(19192, 19193, 19194);
        boolean keep = false;
        boolean dedicatedControllers = false;
        Path report = Path.of("docs");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--keep" -> keep = true;
                case "--dedicated-controllers" -> dedicatedControllers = true;
                case "--nodes" -> nodes = number(arg, value(args, ++i, arg), 1, 100_000);
                case "--period" -> period = number(arg, value(args, ++i, arg), 1, 60);
                case "--faults" -> faults = List.of(value(args, ++i, arg).split(","));
                case "--project" -> project = value(args, ++i, arg);
                case "--gateway-port" -> gatewayPort = number(arg, value(args, ++i, arg), 1, 65535);
                case "--kafka-ports" -> {
                    List<Integer> ports = new ArrayList<>();
                    for (String port : value(args, ++i, arg).split(",")) {
                        ports.add(number(arg, port, 1, 65535));
                    }
                    if (ports.size() != 3) {
                        throw new ConfigException("--kafka-ports needs three ports, one per broker");
                    }
                    kafkaPorts = List.copyOf(ports);
                }
                case "--report-dir" -> report = Path.of(value(args, ++i, arg));
                default -> throw new ConfigException("unknown option " + arg + "\n" + USAGE);
            }
        }
        List<String> known = Faults.all("unused").stream().map(Faults.Fault::name).toList();
        for (String fault : faults) {
            if (!known.contains(fault)) {
                throw new ConfigException("unknown fault " + fault + "; known: " + String.join(", ", known));
            }
        }
        if (project == null) {
            // Its own project by default: brokers formatted for one quorum layout are not moved to the other.
            project = dedicatedControllers ? "llmlb-chaos-dc" : "llmlb-chaos";
        }
        return new ChaosOptions(quick, nodes != null ? nodes : quick ? 300 : 2_000, Duration.ofSeconds(period), faults,
                project, gatewayPort, kafkaPorts, kafkaPorts.getFirst() - 2, keep, report, Duration.ofSeconds(30),
                Duration.ofSeconds(1), "admin", "test", "llmlb.", dedicatedControllers);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new ConfigException(option + " needs a value\n" + USAGE);
        }
        return args[index];
    }

    private static int number(String option, String raw, int min, int max) {
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw new ConfigException(option + " " + raw + " is out of range " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(option + " " + raw + " is not a whole number");
        }
    }
}
