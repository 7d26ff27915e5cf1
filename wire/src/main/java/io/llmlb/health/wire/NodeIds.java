package io.llmlb.health.wire;

import java.util.regex.Pattern;

/**
 * The one rule for node ids: 1–64 of {@code A-Z a-z 0-9 . _ -}, and not {@code .} or {@code ..},
 * so an id is safe in a path, a topic key, HTML and a metric label.
 */
public final class NodeIds {

    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private NodeIds() {
    }

    /** Whether {@code candidate} is a valid node id. */
    public static boolean isValid(String candidate) {
        // "." and ".." fit the pattern but are path segments: clients rewrite /v0/nodes/../approve,
        // so such a node could never be approved or deleted.
        return candidate != null && PATTERN.matcher(candidate).matches()
                && !candidate.equals(".") && !candidate.equals("..");
    }

    /**
     * Returns {@code candidate} when valid.
     *
     * @throws InvalidNodeIdException naming {@code field} otherwise
     */
    public static String require(String field, String candidate) {
        if (!isValid(candidate)) {
            throw new InvalidNodeIdException(field);
        }
        return candidate;
    }

    /** A node id that breaks the rule. */
    public static final class InvalidNodeIdException extends IllegalArgumentException {

        private final String field;

        InvalidNodeIdException(String field) {
            super(field + " must match " + PATTERN.pattern() + " (1-64 letters, digits, '.', '_' or '-'; not '.' or '..')");
            this.field = field;
        }

        /** The field that held the id. */
        public String field() {
            return field;
        }
    }
}
