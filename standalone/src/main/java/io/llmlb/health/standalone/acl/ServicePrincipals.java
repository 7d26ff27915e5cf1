package io.llmlb.health.standalone.acl;

import io.llmlb.health.wire.ConfigException;
import io.llmlb.health.wire.EnvReader;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Kafka principal of each service, one per service so each can be given only what it does.
 *
 * @param ingest {@code LLMLB_INGEST_PRINCIPAL}, default {@code User:llmlb-ingest}
 * @param stateProcessor {@code LLMLB_STATE_PROCESSOR_PRINCIPAL}, default {@code User:llmlb-processor}
 * @param queryApi {@code LLMLB_QUERY_API_PRINCIPAL}, default {@code User:llmlb-query}
 */
public record ServicePrincipals(String ingest, String stateProcessor, String queryApi) {

    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z]+:[^\\s*]+");

    public ServicePrincipals {
        if (new HashSet<>(List.of(ingest, stateProcessor, queryApi)).size() != 3) {
            throw new ConfigException("the three services need three different Kafka principals, got "
                    + ingest + ", " + stateProcessor + ", " + queryApi);
        }
    }

    /** Reads the principals from the environment, checking each is {@code Type:name}. */
    public static ServicePrincipals fromEnv(EnvReader env) {
        return new ServicePrincipals(principal(env, "LLMLB_INGEST_PRINCIPAL", "User:llmlb-ingest"),
                principal(env, "LLMLB_STATE_PROCESSOR_PRINCIPAL", "User:llmlb-processor"),
                principal(env, "LLMLB_QUERY_API_PRINCIPAL", "User:llmlb-query"));
    }

    private static String principal(EnvReader env, String variable, String fallback) {
        String value = env.string(variable, fallback);
        if (!PRINCIPAL.matcher(value).matches()) {
            throw new ConfigException(variable + "=" + value + " is not a Kafka principal like User:name (no wildcard)");
        }
        return value;
    }
}
