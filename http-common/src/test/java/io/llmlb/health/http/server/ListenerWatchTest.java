package io.llmlb.health.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The watch tells a listener that stopped accepting from one that is still there. */
class ListenerWatchTest {

    private static final Duration PERIOD = Duration.ofMillis(100);

    @Test
    void closedServerSocketIsReportedAsDeadWithItsPort() throws Exception {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = listener.getLocalPort();
        CompletableFuture<Integer> died = new CompletableFuture<>();
        try (ListenerWatch watch = ListenerWatch.start("0.0.0.0", port, PERIOD, died::complete)) {
            listener.close(); // as Helidon does when accept fails for good

            assertEquals(port, died.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void liveListenerAndOrderlyStopAreNotReported() throws Exception {
        CompletableFuture<Integer> died = new CompletableFuture<>();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            ListenerWatch watch = ListenerWatch.start("127.0.0.1", listener.getLocalPort(), PERIOD, died::complete);
            // Several probes find it alive (the accept queue holds them; nobody needs to accept).
            Awaitility.await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> !died.isDone());
            watch.close(); // the orderly stop: watch first, then the listener
        }
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !died.isDone());
    }
}
