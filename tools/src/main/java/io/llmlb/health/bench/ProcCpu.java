package io.llmlb.health.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** CPU time of processes and of the machine, from /proc, to say who used the two cores. */
final class ProcCpu {

    /** Clock ticks per second of /proc's counters; 100 on every Linux this runs on. */
    static final long TICKS_PER_SECOND = 100;

    private ProcCpu() {
    }

    /** User + system CPU time of process {@code pid}. */
    static Duration ofProcess(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name may hold spaces: fields are counted after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return Duration.ZERO;
        }
    }

    /**
     * CPU ticks of process {@code pid} by part of the server, from its threads' names in
     * /proc/&lt;pid&gt;/task (names are cut to 15 characters by the kernel).
     */
    static java.util.Map<String, Long> ticksByPart(long pid) {
        java.util.Map<String, Long> ticks = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(part(name), Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException | RuntimeException threadEnded) {
                    // the thread ended between listing and reading
                }
            });
        } catch (IOException e) {
            // not Linux
        }
        return ticks;
    }

    /** The part of the standalone a thread belongs to, by its name. */
    static String part(String threadName) {
        if (threadName.startsWith("ForkJoinPool") || threadName.startsWith("server-@")
                || threadName.startsWith("helidon") || threadName.startsWith("VirtualThread")) {
            return "HTTP handlers (Helidon, virtual threads): ingest and query API";
        }
        if (threadName.startsWith("kafka-producer-")) {
            return "Kafka producer I/O threads (ingest, state-processor, query API)";
        }
        if (threadName.startsWith("llmlb.state-pro") || threadName.startsWith("rocksdb")) {
            return "state-processor (stream thread, RocksDB)";
        }
        if (threadName.startsWith("llmlb-query-api") || threadName.startsWith("node-state-feed")
                || threadName.startsWith("registry-cache") || threadName.startsWith("kafka-coordinat")) {
            return "consumers: query API view and live feed, registry caches";
        }
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return "JIT compilers";
        }
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
            return "garbage collector";
        }
        return "Kafka broker and controller, timers, the rest";
    }

    /** CPU time of this JVM. */
    static Duration ofThisProcess() {
        return ofProcess(ProcessHandle.current().pid());
    }

    /** Busy and total jiffies of the whole machine (every process, other users' too). */
    static long[] machine() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Whether the management bean is available (always on HotSpot), for the report. */
    static int processors() {
        return ManagementFactory.getOperatingSystemMXBean().getAvailableProcessors();
    }
}
