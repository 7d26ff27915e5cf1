package io.llmlb.health.wire;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Logs records read from Kafka that are ignored because they cannot be trusted, once per key and
 * reason: a hostile or broken writer can neither flood the log nor forge log lines (keys are
 * quoted with control characters escaped and cut at 80 characters). Beyond {@value #MAX_LOGGED}
 * distinct rejections one last line says that further ones go unlogged.
 */
public final class RejectedRecordLog {

    static final int MAX_LOGGED = 1_000;

    private final Logger log;
    private final String reader;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean saturated = new AtomicBoolean();

    /** A log for {@code reader} (what ignores the records: "registry cache", "state-processor"…). */
    public RejectedRecordLog(Logger log, String reader) {
        this.log = log;
        this.reader = reader;
    }

    /**
     * Records that the record at {@code topic}/{@code partition}/{@code offset} with {@code key}
     * was ignored for {@code reason}; logs it the first time this key and reason are seen.
     *
     * @return whether a line was logged
     */
    public boolean rejected(String topic, int partition, long offset, String key, String reason) {
        String identity = reason + '\u0000' + key;
        if (logged.size() >= MAX_LOGGED && !logged.contains(identity)) {
            if (saturated.compareAndSet(false, true)) {
                log.warning(reader + ": more than " + MAX_LOGGED + " untrusted records ignored; further ones are not logged");
            }
            return false;
        }
        if (!logged.add(identity)) {
            return false;
        }
        log.warning(reader + " ignored untrusted record " + topic + "/" + partition + "/" + offset + " key="
                + printable(key) + ": " + reason + " (logged once per key and reason)");
        return true;
    }

    /** {@code value} quoted, control and non-ASCII characters escaped, at most 80 characters. */
    static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().limit(80).forEach(c -> {
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append((char) c);
            } else {
                out.append(String.format(c > 0xffff ? "\\u{%x}" : "\\u%04x", c));
            }
        });
        if (value.codePointCount(0, value.length()) > 80) {
            out.append("…");
        }
        return out.append('"').toString();
    }
}
