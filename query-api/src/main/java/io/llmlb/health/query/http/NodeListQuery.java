package io.llmlb.health.query.http;

import io.llmlb.health.http.ApiException;
import io.llmlb.health.query.view.NodeEntry;
import io.llmlb.health.wire.NodeIds;
import io.llmlb.health.wire.NodeStatus;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of {@code GET /v0/nodes}, checked: each bad one is a 400 that names it. No
 * parameter at all is the seed's full list.
 *
 * @param states nodes in one of these states (all states when the parameter is absent)
 * @param prefix nodes whose id or machine name starts with this, or null
 * @param limit at most this many nodes, with a cursor to the next page; 0 for all (streamed)
 * @param afterId continue after this node id (decoded from the opaque {@code after} cursor), or null
 * @param descending id order from the last to the first ({@code sort=-id})
 * @param fields what to show of each node
 * @param paged whether any parameter was given (the answer then also says {@code next})
 * @param flags nodes with all of these set ({@code flag=maintenance,flapping,interval_exceeds_timeout}); empty: any
 */
record NodeListQuery(Set<NodeStatus> states, String prefix, int limit, String afterId, boolean descending,
                     Set<NodeJson.Field> fields, boolean paged, Set<NodeJson.Field> flags) {

    /** Largest page: a page is held whole while it is written, a full list never is. */
    static final int MAX_LIMIT = 5000;
    static final int MAX_PREFIX = 256;
    private static final Set<String> KNOWN = Set.of("state", "q", "limit", "after", "sort", "fields", "flag");
    private static final String CURSOR_VERSION = "1";

    /** Every node, every field: the seed's {@code GET /v0/nodes}. */
    static final NodeListQuery ALL = new NodeListQuery(EnumSet.allOf(NodeStatus.class), null, 0, null, false,
            NodeJson.ALL_FIELDS, false, Set.of());

    /** Reads {@code parameters} (name to values, as sent). */
    static NodeListQuery parse(Map<String, List<String>> parameters) {
        if (parameters.isEmpty()) {
            return ALL;
        }
        for (String name : parameters.keySet()) {
            if (!KNOWN.contains(name)) {
                throw ApiException.badRequest(name, "unknown parameter " + name + "; known: after, fields, flag, limit,"
                        + " q, sort, state");
            }
        }
        String sort = single(parameters, "sort", "id");
        if (!sort.equals("id") && !sort.equals("-id")) {
            throw ApiException.badRequest("sort", "sort must be id or -id, not " + quoted(sort));
        }
        boolean descending = sort.equals("-id");
        String prefix = single(parameters, "q", null);
        if (prefix != null && (prefix.isEmpty() || prefix.length() > MAX_PREFIX)) {
            throw ApiException.badRequest("q", "q must be 1 to " + MAX_PREFIX + " characters");
        }
        return new NodeListQuery(states(parameters), prefix, limit(parameters),
                afterId(single(parameters, "after", null), descending), descending, fields(parameters), true,
                flags(parameters));
    }

    /** Whether {@code node} is asked for (its state and the prefix). */
    boolean matches(NodeEntry node) {
        if (!states.contains(node.state())) {
            return false;
        }
        for (NodeJson.Field flag : flags) {
            if (!NodeJson.hasFlag(node, flag)) {
                return false;
            }
        }
        return prefix == null || node.nodeId().startsWith(prefix)
                || (node.machineName() != null && node.machineName().startsWith(prefix));
    }

    /** The opaque cursor that continues after {@code lastId} in this query's order. */
    String cursorAfter(String lastId) {
        String raw = CURSOR_VERSION + (descending ? "-" : "+") + lastId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String afterId(String cursor, boolean descending) {
        if (cursor == null) {
            return null;
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw badCursor();
        }
        if (raw.length() < 3 || !raw.startsWith(CURSOR_VERSION) || !NodeIds.isValid(raw.substring(2))) {
            throw badCursor();
        }
        if ((raw.charAt(1) == '-') != descending || (raw.charAt(1) != '-' && raw.charAt(1) != '+')) {
            throw ApiException.badRequest("after", "after is a cursor for the other sort order; keep sort as it was");
        }
        return raw.substring(2);
    }

    private static ApiException badCursor() {
        return ApiException.badRequest("after", "after must be the next cursor of an earlier answer");
    }

    private static Set<NodeStatus> states(Map<String, List<String>> parameters) {
        String raw = single(parameters, "state", null);
        if (raw == null) {
            return EnumSet.allOf(NodeStatus.class);
        }
        Set<NodeStatus> states = EnumSet.noneOf(NodeStatus.class);
        for (String name : raw.split(",", -1)) {
            NodeStatus status = null;
            for (NodeStatus candidate : NodeStatus.values()) {
                if (candidate.wireName().equals(name)) {
                    status = candidate;
                }
            }
            if (status == null) {
                throw ApiException.badRequest("state", "state must be online, offline or pending (comma-separated),"
                        + " not " + quoted(name));
            }
            states.add(status);
        }
        return states;
    }

    private static Set<NodeJson.Field> flags(Map<String, List<String>> parameters) {
        String raw = single(parameters, "flag", null);
        if (raw == null) {
            return Set.of();
        }
        Set<NodeJson.Field> flags = EnumSet.noneOf(NodeJson.Field.class);
        for (String name : raw.split(",", -1)) {
            NodeJson.Field flag = NodeJson.Field.named(name).filter(NodeJson.FLAGS::contains)
                    .orElseThrow(() -> ApiException.badRequest("flag", "flag must be maintenance, flapping or"
                            + " interval_exceeds_timeout (comma-separated: all of them), not " + quoted(name)));
            flags.add(flag);
        }
        return flags;
    }

    private static int limit(Map<String, List<String>> parameters) {
        String raw = single(parameters, "limit", null);
        if (raw == null) {
            return 0;
        }
        int limit;
        try {
            limit = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ", not "
                    + quoted(raw));
        }
        return limit;
    }

    private static Set<NodeJson.Field> fields(Map<String, List<String>> parameters) {
        String raw = single(parameters, "fields", null);
        if (raw == null) {
            return NodeJson.ALL_FIELDS;
        }
        // The id is always shown: without it a row cannot be told apart nor a page continued.
        Set<NodeJson.Field> fields = EnumSet.of(NodeJson.Field.ID);
        for (String name : raw.split(",", -1)) {
            fields.add(NodeJson.Field.named(name).orElseThrow(() -> ApiException.badRequest("fields",
                    "fields must name fields of a node (" + NodeJson.Field.names() + "), not " + quoted(name))));
        }
        return fields;
    }

    private static String single(Map<String, List<String>> parameters, String name, String fallback) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest(name, name + " may be given once");
        }
        return values.getFirst();
    }

    private static String quoted(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return "\"" + shown + "\"";
    }
}
