package io.llmlb.health.agent;

import io.llmlb.health.wire.GpuMetrics;
import io.llmlb.health.wire.SystemMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a heartbeat reports: CPU (from the change in {@code /proc/stat} since the previous
 * heartbeat) and memory ({@code /proc/meminfo}), GPUs through nvidia-smi when it is installed, and
 * active requests and loaded models through the operator's commands when configured. A probe
 * that fails leaves its figure out; the heartbeat itself always goes.
 */
final class MetricsProbe {

    /** The server's limits on {@code loaded_models}. */
    static final int MAX_MODELS = 256;
    static final int MAX_MODEL_NAME = 256;

    private final AgentConfig config;
    private final CommandRunner runner;
    private final OnceLog log;
    private CpuTimes previousCpu;
    private boolean gpuAbsent;

    MetricsProbe(AgentConfig config, CommandRunner runner, OnceLog log) {
        this.config = config;
        this.runner = runner;
        this.log = log;
        this.gpuAbsent = config.nvidiaSmi() == null;
    }

    /** A fresh heartbeat body for {@code nodeId}. */
    HeartbeatBody collect(String nodeId) {
        return new HeartbeatBody(nodeId, gpu(), system(), activeRequests(), models(), declaredIntervalSecs());
    }

    /** The interval in whole seconds, or null below one second (tests' fast agents declare none). */
    private Integer declaredIntervalSecs() {
        long seconds = config.heartbeatInterval().toSeconds();
        return seconds >= 1 ? (int) seconds : null;
    }

    private SystemMetrics system() {
        Double cpu = read("stat").flatMap(CpuTimes::parse).map(now -> {
            double usage = now.usagePercentSince(previousCpu);
            previousCpu = now;
            return usage;
        }).orElse(null);
        Double memory = read("meminfo").flatMap(MemInfo::usagePercent).orElse(null);
        return cpu == null && memory == null ? null : new SystemMetrics(round(cpu), round(memory));
    }

    private Optional<String> read(String procFile) {
        Path file = config.procRoot().resolve(procFile);
        try {
            String text = Files.readString(file);
            log.cleared("proc-" + procFile, null);
            return Optional.of(text);
        } catch (IOException e) {
            log.problem("proc-" + procFile, "cannot read " + file + " (" + e.getMessage()
                    + "); system_metrics will lack that figure");
            return Optional.empty();
        }
    }

    private GpuMetrics gpu() {
        if (gpuAbsent) {
            return null;
        }
        List<String> command = new ArrayList<>();
        command.add(config.nvidiaSmi());
        command.addAll(GpuReading.QUERY_ARGS);
        try {
            Optional<GpuMetrics> gpu = GpuReading.parse(runner.run(command));
            log.cleared("gpu", "nvidia-smi answers again");
            return gpu.map(g -> new GpuMetrics(round(g.usage()), round(g.vramUsage()), round(g.temperature())))
                    .orElse(null);
        } catch (CommandRunner.CommandFailure e) {
            if (e.notInstalled()) {
                // No NVIDIA driver on this host: a CPU node. Say it once and stop asking.
                gpuAbsent = true;
                log.problem("gpu-absent", "no nvidia-smi (" + e.getMessage() + "): heartbeats carry no gpu_metrics");
            } else {
                log.problem("gpu", "nvidia-smi failed: " + e.getMessage() + "; gpu_metrics left out until it works");
            }
            return null;
        }
    }

    private Integer activeRequests() {
        String command = config.activeRequestsCommand();
        if (command == null) {
            return null;
        }
        try {
            String output = runner.shell(command).trim();
            int value = Integer.parseInt(output.split("\\s+")[0]);
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            log.cleared("active-requests", "XLLM_ACTIVE_REQUESTS_CMD works again");
            return value;
        } catch (CommandRunner.CommandFailure e) {
            log.problem("active-requests", "XLLM_ACTIVE_REQUESTS_CMD failed: " + e.getMessage());
        } catch (NumberFormatException e) {
            log.problem("active-requests", "XLLM_ACTIVE_REQUESTS_CMD must print a non-negative integer");
        }
        return null;
    }

    private List<String> models() {
        String command = config.modelsCommand();
        if (command == null) {
            return null;
        }
        try {
            List<String> models = parseModels(runner.shell(command));
            log.cleared("models", "XLLM_MODELS_CMD works again");
            return models;
        } catch (CommandRunner.CommandFailure e) {
            log.problem("models", "XLLM_MODELS_CMD failed: " + e.getMessage());
            return null;
        }
    }

    /** Model names, one per line or separated by commas; blanks dropped, cut to the server's limits. */
    static List<String> parseModels(String output) {
        List<String> models = new ArrayList<>();
        for (String name : output.split("[,\\n]")) {
            String trimmed = name.trim();
            if (!trimmed.isEmpty() && trimmed.length() <= MAX_MODEL_NAME && models.size() < MAX_MODELS) {
                models.add(trimmed);
            }
        }
        return List.copyOf(models);
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 10.0) / 10.0;
    }
}
