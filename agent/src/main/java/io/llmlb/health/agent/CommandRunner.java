package io.llmlb.health.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs a probe command with a deadline and returns what it printed. */
final class CommandRunner {

    /** Output larger than this is cut: a probe answers in a few lines. */
    private static final int MAX_OUTPUT = 64 * 1024;

    /** Why a command gave no output to use. */
    static final class CommandFailure extends Exception {
        private final boolean notInstalled;

        CommandFailure(String message, boolean notInstalled) {
            super(message);
            this.notInstalled = notInstalled;
        }

        /** The program does not exist (as opposed to failing when run). */
        boolean notInstalled() {
            return notInstalled;
        }
    }

    private final Duration timeout;

    CommandRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code shellCommand} through {@code sh -c}. */
    String shell(String shellCommand) throws CommandFailure {
        return run(List.of("sh", "-c", shellCommand));
    }

    /** Runs {@code command} directly and returns its standard output. */
    String run(List<String> command) throws CommandFailure {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new CommandFailure(command.get(0) + " cannot be started: " + e.getMessage(), true);
        }
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            // readNBytes returns at EOF, i.e. when the program exits or closes its output.
            AtomicBoolean killed = new AtomicBoolean();
            byte[] bytes = readBounded(out, process, killed);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || killed.get()) {
                process.destroyForcibly();
                throw new CommandFailure(String.join(" ", command) + " did not finish within "
                        + timeout.toSeconds() + " s", false);
            }
            if (process.exitValue() != 0) {
                int exit = process.exitValue();
                if (exit == 127 && command.get(0).equals("sh")) {
                    throw new CommandFailure(command.get(command.size() - 1) + ": command not found", true);
                }
                throw new CommandFailure(String.join(" ", command) + " exited with status " + exit, false);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new CommandFailure(String.join(" ", command) + ": " + e.getMessage(), false);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted", false);
        }
    }

    private byte[] readBounded(InputStream out, Process process, AtomicBoolean killed) throws IOException {
        // A hung probe must not hang the agent: a watchdog kills it at the deadline, which ends the read.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    killed.set(true);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            return out.readNBytes(MAX_OUTPUT);
        } finally {
            watchdog.interrupt();
        }
    }
}
