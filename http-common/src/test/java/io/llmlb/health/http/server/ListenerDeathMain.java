package io.llmlb.health.http.server;

import java.time.Duration;

/**
 * A listener as the services run it (exiting the process when it dies), with a connection cap
 * above the process's file-descriptor limit so that accept can fail with "Too many open files".
 * Prints its port, then serves until it dies. Run by {@link ListenerDeathTest} in a child JVM.
 */
final class ListenerDeathMain {

    private ListenerDeathMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        GuardedServer server = GuardedServer.start("127.0.0.1", 0, "LLMLB_PORT",
                new ServerLimits(100_000, Duration.ofMinutes(10), Duration.ofMinutes(5)),
                routing -> routing.get("/ok", (request, response) -> response.send("ok")),
                ListenerWatch.exitProcess("listener-death-test"));
        System.out.println("port " + server.port());
        System.out.flush();
        // Stays alive only so the listener watch can end it: the test expects exit status 1 long before this.
        Thread.sleep(Duration.ofMinutes(5));
        System.exit(0); // still alive: the test fails on this status
    }
}
