package io.llmlb.health.agent;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Says each problem once: a line when a kind of problem starts, nothing while it repeats, and a
 * line when it clears. A node probing every 10 s for a week must not write 60,000 copies of
 * "nvidia-smi not found".
 */
final class OnceLog {

    private final Consumer<String> sink;
    private final Set<String> active = new HashSet<>();

    OnceLog(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Reports {@code message} unless problem {@code kind} is already reported. */
    synchronized void problem(String kind, String message) {
        if (active.add(kind)) {
            sink.accept(message);
        }
    }

    /** Problem {@code kind} is over; says so with {@code message} if it had been reported. */
    synchronized void cleared(String kind, String message) {
        if (active.remove(kind) && message != null) {
            sink.accept(message);
        }
    }
}
