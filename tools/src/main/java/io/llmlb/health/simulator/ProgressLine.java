package io.llmlb.health.simulator;

import java.io.PrintStream;

/** One console line rewritten in place with a carriage return. */
public final class ProgressLine {

    private final PrintStream out;
    private int lastLength;

    public ProgressLine(PrintStream out) {
        this.out = out;
    }

    /** Replaces the line with {@code text}. */
    public synchronized void show(String text) {
        int pad = Math.max(0, lastLength - text.length());
        out.print("\r" + text + " ".repeat(pad));
        out.flush();
        lastLength = text.length();
    }

    /** Prints {@code text} on a line of its own; the progress line continues below it. */
    public synchronized void message(String text) {
        finish();
        out.println(text);
        out.flush();
    }

    /** Ends the line so later output starts on a new one. */
    public synchronized void finish() {
        if (lastLength > 0) {
            out.println();
            lastLength = 0;
        }
    }
}
