package io.llmlb.health.http;

import java.io.IOException;
import java.io.Writer;

/**
 * Writes metric families in the Prometheus text format (0.0.4) or OpenMetrics 1.0, line for line as
 * the Prometheus client library writes them (so a scrape reads the same either way): a family's
 * {@code # HELP} and {@code # TYPE} come before its first sample, and a family without samples
 * writes nothing. Label names are given in alphabetical order by the caller; label values are
 * escaped here. Help texts are constants without backslashes or line breaks.
 */
public final class SeriesWriter {

    /** What a family counts. */
    public enum Type {
        COUNTER("counter", "_total"), GAUGE("gauge", ""), INFO("info", "_info");

        final String openMetricsName;
        final String sampleSuffix;

        Type(String openMetricsName, String sampleSuffix) {
            this.openMetricsName = openMetricsName;
            this.sampleSuffix = sampleSuffix;
        }
    }

    private final Writer out;
    private final boolean openMetrics;
    private String familyName;
    private Type familyType;
    private String familyHelp;
    private String sampleName;
    private boolean headerWritten;

    public SeriesWriter(Writer out, boolean openMetrics) {
        this.out = out;
        this.openMetrics = openMetrics;
    }

    /** Starts a family named {@code name} (without {@code _total} or {@code _info}). */
    public void family(String name, Type type, String help) {
        familyName = name;
        familyType = type;
        familyHelp = help;
        sampleName = name + type.sampleSuffix;
        headerWritten = false;
    }

    /** One sample with one label. */
    public void sample(String label, String value, double number) throws IOException {
        start();
        out.write('{');
        label(label, value);
        end(number);
    }

    /** One sample with two labels, {@code label1} sorting before {@code label2}. */
    public void sample(String label1, String value1, String label2, String value2, double number) throws IOException {
        start();
        out.write('{');
        label(label1, value1);
        out.write(',');
        label(label2, value2);
        end(number);
    }

    private void start() throws IOException {
        if (!headerWritten) {
            headerWritten = true;
            if (openMetrics) {
                out.write("# TYPE " + familyName + " " + familyType.openMetricsName + "\n");
                out.write("# HELP " + familyName + " " + familyHelp + "\n");
            } else {
                // The 0.0.4 format has no info type: an info family is a gauge of value 1.
                out.write("# HELP " + sampleName + " " + familyHelp + "\n");
                out.write("# TYPE " + sampleName + " "
                        + (familyType == Type.INFO ? "gauge" : familyType.openMetricsName) + "\n");
            }
        }
        out.write(sampleName);
    }

    private void label(String name, String value) throws IOException {
        out.write(name);
        out.write("=\"");
        escaped(value);
        out.write('"');
    }

    private void end(double number) throws IOException {
        out.write("} ");
        if (familyType == Type.INFO) {
            out.write('1');
        } else if (number == Double.POSITIVE_INFINITY) {
            out.write("+Inf");
        } else if (number == Double.NEGATIVE_INFINITY) {
            out.write("-Inf");
        } else {
            out.write(Double.toString(number));
        }
        out.write('\n');
    }

    private void escaped(String value) throws IOException {
        int plainFrom = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String escape = switch (c) {
                case '\\' -> "\\\\";
                case '"' -> "\\\"";
                case '\n' -> "\\n";
                default -> null;
            };
            if (escape != null) {
                out.write(value, plainFrom, i - plainFrom);
                out.write(escape);
                plainFrom = i + 1;
            }
        }
        out.write(value, plainFrom, value.length() - plainFrom);
    }
}
