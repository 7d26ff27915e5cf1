package io.llmlb.health.query.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.llmlb.health.http.ApiException;
import io.llmlb.health.http.JsonHttp;
import io.llmlb.health.query.auth.Caller;
import io.llmlb.health.query.auth.JwtService;
import io.llmlb.health.query.auth.LoginThrottle;
import io.llmlb.health.query.auth.PasswordCheckPool;
import io.llmlb.health.query.auth.UserDirectory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v0/auth/login}: credentials in, JWT out. The throttle counts the attempt before the
 * password is checked (on the bounded {@link PasswordCheckPool}), and forgets it when it succeeds.
 */
public final class AuthService implements HttpService {

    private static final int MAX_CREDENTIAL_LENGTH = 256;

    private final UserDirectory users;
    private final JwtService jwt;
    private final LoginThrottle throttle;
    private final PasswordCheckPool passwordChecks;
    private final ClientAddresses clients;

    public AuthService(UserDirectory users, JwtService jwt, LoginThrottle throttle, PasswordCheckPool passwordChecks,
                       ClientAddresses clients) {
        this.users = users;
        this.jwt = jwt;
        this.throttle = throttle;
        this.passwordChecks = passwordChecks;
        this.clients = clients;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v0/auth/login", this::login);
    }

    private void login(ServerRequest request, ServerResponse response) {
        ObjectNode body = JsonHttp.readObject(request);
        String username = credential(body, "username");
        String password = credential(body, "password");
        LoginThrottle.Attempt attempt = throttle.begin(username, clients.of(request));
        Optional<Caller> caller;
        try {
            caller = passwordChecks.authenticate(users, username, password);
        } catch (ApiException busy) {
            attempt.withdraw();
            throw busy;
        }
        if (caller.isEmpty()) {
            throw ApiException.unauthorized("invalid username or password");
        }
        attempt.succeeded();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", jwt.issue(caller.get()));
        answer.put("token_type", "Bearer");
        answer.put("expires_in", jwt.ttl().toSeconds());
        answer.put("user", Map.of("username", caller.get().username(), "role", caller.get().role().wireName()));
        JsonHttp.send(response, Status.OK_200, answer);
    }

    private static String credential(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.badRequest(field, field + " is required");
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field, field + " must be a string, not " + JsonHttp.describe(node));
        }
        if (node.textValue().isEmpty() || node.textValue().length() > MAX_CREDENTIAL_LENGTH) {
            throw ApiException.badRequest(field, field + " must be 1-" + MAX_CREDENTIAL_LENGTH + " characters");
        }
        return node.textValue();
    }
}
