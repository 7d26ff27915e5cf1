package io.llmlb.health.simulator;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Registers and approves a fleet through the admin API, many nodes at a time (one by one, 10,000
 * registrations, each waiting for its Kafka write, take minutes), handing out each node's token
 * the moment it is approved so the node can start beating before the rest of the fleet is in.
 */
public final class FleetRegistrar {

    private final AdminClient admin;
    private final int parallelism;
    private final AtomicInteger approved = new AtomicInteger();

    public FleetRegistrar(AdminClient admin, int parallelism) {
        this.admin = admin;
        this.parallelism = parallelism;
    }

    /** Nodes registered and approved so far. */
    public int approved() {
        return approved.get();
    }

    /** Registers and approves nodes 0..count-1, putting each token into {@code tokens} once approved. */
    public void registerAndApprove(int count, IntFunction<String> nodeId, AtomicReferenceArray<String> tokens)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(parallelism);
        AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count && firstFailure.get() == null; i++) {
                inFlight.acquire();
                int index = i;
                executor.submit(() -> {
                    try {
                        String id = nodeId.apply(index);
                        String token = withRetries(() -> admin.register(id), false);
                        // Behind a gateway the approval may reach another query-api replica, whose
                        // registry has not read the registration yet: its 404 is retried too.
                        withRetries(() -> {
                            admin.approve(id);
                            return null;
                        }, true);
                        tokens.set(index, token);
                        approved.incrementAndGet();
                    } catch (RuntimeException e) {
                        firstFailure.compareAndSet(null, e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        firstFailure.compareAndSet(null, new IllegalStateException("registration interrupted"));
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        if (firstFailure.get() != null) {
            throw firstFailure.get();
        }
    }

    /**
     * A busy server (503, a dropped connection) gets three more tries, a second or so apart; a
     * refusal does not, except a 404 when {@code notSeenYet} may be a replica still catching up.
     */
    private static <T> T withRetries(Supplier<T> call, boolean notSeenYet) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (AdminClient.ApiFailure e) {
                boolean retryable = e.status() == 503 || e.status() == 429 || notSeenYet && e.status() == 404;
                if (!retryable || attempt == 4) {
                    throw e;
                }
            } catch (java.io.UncheckedIOException e) {
                if (attempt == 4) {
                    throw e;
                }
            }
            // Back off with jitter before retrying, so a recovering server is not hit by every client at once.
            Thread.sleep(ThreadLocalRandom.current().nextLong(500, 1500L * attempt));
        }
    }
}
