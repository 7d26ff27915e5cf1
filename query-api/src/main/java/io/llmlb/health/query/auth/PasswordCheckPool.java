package io.llmlb.health.query.auth;

import io.llmlb.health.http.ApiException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks passwords on a few platform threads of its own, with a short queue in front of them.
 *
 * <p>A PBKDF2 check is ~100 ms of pure CPU. Run on the request's virtual thread it pins a carrier
 * thread (there are as many as cores) for all that time, so a handful of anonymous clients with bad
 * logins kept every carrier busy and heartbeats waited seconds. Here the request's virtual thread
 * parks while a pool thread hashes: at most {@code threads} cores ever hash at once, the carriers
 * stay free for heartbeats and reads, and a check that finds the queue full is refused at once
 * with 503 and Retry-After instead of piling up.
 */
public final class PasswordCheckPool implements AutoCloseable {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final ThreadPoolExecutor executor;
    private final int queueCapacity;

    /**
     * @param threads password checks running at once ({@code LLMLB_LOGIN_THREADS})
     * @param queueCapacity checks waiting for a thread at most ({@code LLMLB_LOGIN_QUEUE})
     */
    public PasswordCheckPool(int threads, int queueCapacity) {
        AtomicInteger number = new AtomicInteger();
        this.queueCapacity = queueCapacity;
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                queueCapacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueCapacity),
                task -> {
                    Thread thread = new Thread(task, "password-check-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * The caller for these credentials, if they are right.
     *
     * @throws ApiException 503 with Retry-After when every thread is busy and the queue is full
     */
    public Optional<Caller> authenticate(UserDirectory users, String username, String password) {
        Future<Optional<Caller>> check;
        try {
            check = executor.submit(() -> users.authenticate(username, password));
        } catch (RejectedExecutionException busy) {
            throw ApiException.unavailable("too many logins in progress (" + executor.getMaximumPoolSize()
                    + " checked at once, " + queueCapacity + " waiting); try again shortly", RETRY_AFTER);
        }
        try {
            return check.get();
        } catch (InterruptedException e) {
            check.cancel(true);
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while checking the password", RETRY_AFTER);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
