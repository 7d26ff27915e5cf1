package io.llmlb.health.query.view;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One copy of each distinct label set and model list in the view: across a fleet most nodes carry
 * the same few (one zone label, one model), and a copy per node would cost more than the rest of
 * its entry. Bounded, so a fleet of all-different values costs a copy per node and no more; used by
 * the view's one writer thread only.
 */
final class SharedValues {

    /** Distinct values kept per kind; beyond that a value is not shared. */
    static final int MAX_KEPT = 4096;

    private final Map<Map<String, String>, Map<String, String>> labels = new HashMap<>();
    private final Map<List<String>, List<String>> models = new HashMap<>();

    Map<String, String> labels(Map<String, String> value) {
        return shared(labels, value);
    }

    List<String> models(List<String> value) {
        return shared(models, value);
    }

    private static <T> T shared(Map<T, T> kept, T value) {
        if (value == null) {
            return null;
        }
        T known = kept.get(value);
        if (known != null) {
            return known;
        }
        if (kept.size() < MAX_KEPT) {
            kept.put(value, value);
        }
        return value;
    }
}
