package io.llmlb.health.query.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmlb.health.wire.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Password guessing against {@code POST /v0/auth/login} over HTTP (issue 12, items 1 and 6): the
 * throttle per name and per address, its atomic check-and-record, the bounded password-check pool,
 * and client addresses behind a trusted proxy.
 */
class LoginHttpTest {

    @Test
    void fortySimultaneousGuessesLetAtMostFiveThrough() throws Exception {
        try (ApiServer api = new ApiServer(ApiServer.defaults().withLoginPool(4, 64))) {
            Map<Integer, Long> statuses = simultaneously(40, i -> () -> api.login("admin", "guess-" + i).statusCode());

            assertEquals(5L, statuses.getOrDefault(401, 0L), "guesses whose password was checked: " + statuses);
            assertEquals(35L, statuses.getOrDefault(429, 0L), statuses.toString());
        }
    }

    @Test
    void freshUserNamesFromOneAddressAreThrottledToo() {
        try (ApiServer api = new ApiServer(ApiServer.defaults())) {
            for (int i = 0; i < 20; i++) {
                assertEquals(401, api.login("nobody-" + i, "guess").statusCode(), "guess " + i);
            }

            HttpResponse<String> refused = api.login("nobody-20", "guess");

            assertEquals(429, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers().map().toString());
            assertTrue(error(refused).contains("too many failed logins"), refused.body());
        }
    }

    @Test
    void passwordChecksBeyondThePoolAndItsQueueGet503WithRetryAfter() throws Exception {
        // One check at a time, none waiting; each client behind the trusted proxy has its own address,
        // so the throttle stays out of the way and only the pool can refuse.
        ApiServer.Settings settings = ApiServer.defaults().withLoginPool(1, 0).withTrustedProxies("127.0.0.1");
        try (ApiServer api = new ApiServer(settings)) {
            List<HttpResponse<String>> answers = simultaneouslyCollect(12, i -> () ->
                    api.login("user-" + i, "guess", "X-Forwarded-For", "198.51.100." + i));

            List<HttpResponse<String>> busy = answers.stream().filter(answer -> answer.statusCode() == 503).toList();
            assertTrue(!busy.isEmpty(), "12 checks at once with one thread and no queue: some must be refused");
            assertTrue(answers.stream().allMatch(answer -> answer.statusCode() == 401 || answer.statusCode() == 503),
                    answers.stream().map(HttpResponse::statusCode).toList().toString());
            HttpResponse<String> oneBusy = busy.getFirst();
            assertEquals("1", oneBusy.headers().firstValue("Retry-After").orElse(null));
            assertTrue(error(oneBusy).contains("too many logins in progress"), oneBusy.body());
            assertEquals(200, api.login("admin", "test", "X-Forwarded-For", "192.0.2.1").statusCode(),
                    "a refusal for load is not a failed login");
        }
    }

    @Test
    void behindATrustedProxyEachClientIsThrottledOnItsOwn() {
        try (ApiServer api = new ApiServer(ApiServer.defaults().withTrustedProxies("127.0.0.0/8, ::1"))) {
            for (int i = 0; i < 5; i++) {
                api.login("admin", "wrong", "X-Forwarded-For", "203.0.113.66");
            }

            assertEquals(429, api.login("admin", "test", "X-Forwarded-For", "203.0.113.66").statusCode());
            assertEquals(200, api.login("admin", "test", "X-Forwarded-For", "192.0.2.1").statusCode(),
                    "the real admin, from another address behind the same proxy, is not locked out");
            assertEquals(200, api.login("admin", "test", "X-Forwarded-For", "203.0.113.66, 192.0.2.1").statusCode(),
                    "the rightmost untrusted hop is the client: what it claimed to the left does not count");
        }
    }

    @Test
    void withoutTrustedProxiesXForwardedForIsIgnored() {
        try (ApiServer api = new ApiServer(ApiServer.defaults())) {
            for (int i = 0; i < 5; i++) {
                api.login("admin", "wrong", "X-Forwarded-For", "203.0.113." + i);
            }

            HttpResponse<String> spoofed = api.login("admin", "test", "X-Forwarded-For", "192.0.2.99");

            assertEquals(429, spoofed.statusCode(), "a client cannot pick its address: " + spoofed.body());
        }
    }

    static String error(HttpResponse<String> response) {
        return Json.MAPPER.valueToTree(parse(response.body())).path("error").asText();
    }

    private static Object parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** Runs {@code count} calls released at the same moment and counts their answers. */
    static Map<Integer, Long> simultaneously(int count, IntFunction<Callable<Integer>> call) throws Exception {
        return simultaneouslyCollect(count, call).stream()
                .collect(Collectors.groupingBy(status -> status, Collectors.counting()));
    }

    static <T> List<T> simultaneouslyCollect(int count, IntFunction<Callable<T>> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
            for (int i = 0; i < count; i++) {
                Callable<T> one = call.apply(i);
                futures.add(threads.submit(() -> {
                    start.await();
                    return one.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }
}
