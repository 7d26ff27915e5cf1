package io.llmlb.health.simulator;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Registers and approves a fleet through the admin API, many nodes at a time: one by one, 10,000
 * registrations (each waits for its Kafka write) would take minutes.
 */
final class FleetRegistrar {

    private final AdminClient admin;
    private final int parallelism;
    private final ProgressLine progress;

    FleetRegistrar(AdminClient admin, int parallelism, ProgressLine progress) {
        this.admin = admin;
        this.parallelism = parallelism;
        this.progress = progress;
    }

    /** Registers and approves nodes 0..count-1 and returns their tokens by index. */
    String[] registerAndApprove(int count, IntFunction<String> nodeId) throws InterruptedException {
        String[] tokens = new String[count];
        Semaphore inFlight = new Semaphore(parallelism);
        AtomicInteger done = new AtomicInteger();
        AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();
        long started = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count && firstFailure.get() == null; i++) {
                inFlight.acquire();
                int index = i;
                executor.submit(() -> {
                    try {
                        String id = nodeId.apply(index);
                        tokens[index] = admin.register(id);
                        admin.approve(id);
                        int finished = done.incrementAndGet();
                        if (finished % 100 == 0 || finished == count) {
                            double seconds = (System.nanoTime() - started) / 1e9;
                            progress.show(String.format("registering and approving: %,d/%,d nodes (%.0f/s)",
                                    finished, count, finished / Math.max(seconds, 1e-3)));
                        }
                    } catch (RuntimeException e) {
                        firstFailure.compareAndSet(null, e);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        if (firstFailure.get() != null) {
            throw firstFailure.get();
        }
        return tokens;
    }
}
