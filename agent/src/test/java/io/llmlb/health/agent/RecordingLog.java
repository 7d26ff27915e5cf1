package io.llmlb.health.agent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the agent's log lines for assertions. */
final class RecordingLog implements AgentLog {

    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<String> infos = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        infos.add(message);
    }

    @Override
    public void warn(String message) {
        warnings.add(message);
    }
}
