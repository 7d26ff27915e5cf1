package io.llmlb.health.standalone;

import io.llmlb.health.http.server.StartupException;
import io.llmlb.health.wire.ConfigException;
import java.util.concurrent.CountDownLatch;

/** {@code ./llmlb-health up}: everything in one process until Ctrl-C or SIGTERM. */
public final class StandaloneMain {

    private StandaloneMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        StandaloneConfig config;
        try {
            config = StandaloneConfig.fromEnv(System.getenv());
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Standalone standalone;
        try {
            standalone = Standalone.start(config);
        } catch (StartupException e) {
            // The operator's to fix (a port in use, a data directory held): one line, no stack trace.
            System.err.println("llmlb-health could not start: " + e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.err.println("llmlb-health could not start: " + e.getMessage());
            // Kafka client threads are not daemons; exit explicitly so nothing is left behind.
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("llmlb-health stopping");
            standalone.close();
            stopped.countDown();
        }, "llmlb-shutdown"));
        String login = config.queryApi().defaultAdminPassword()
                ? "log in as admin / test (default password: set LLMLB_ADMIN_PASSWORD)"
                : "log in with LLMLB_ADMIN_USER / LLMLB_ADMIN_PASSWORD";
        System.out.println("llmlb-health ready: http://localhost:" + standalone.port() + "  kafka "
                + standalone.bootstrapServers() + (config.externalKafka() ? " (external)" : " (embedded)")
                + "  " + login);
        stopped.await();
    }
}
