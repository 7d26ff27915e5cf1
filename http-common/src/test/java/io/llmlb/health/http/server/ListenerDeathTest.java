package io.llmlb.health.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File descriptors exhausted: Helidon's accept fails with "Too many open files" and it closes its
 * server socket for good. The process must not run on behind the dead port: it exits non-zero.
 * Real sockets, a real child JVM with a low descriptor limit ({@code ulimit -n}).
 */
class ListenerDeathTest {

    @TempDir
    Path dir;

    @Test
    void processExitsNonZeroWhenTheListenerDiesOfDescriptorExhaustion() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n 256 && exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + ListenerDeathMain.class.getName();
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder("bash", "-c", command).redirectError(log.toFile()).start();
        List<Socket> flood = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("port "), "child said: " + first + Files.readString(log));
            int port = Integer.parseInt(first.substring(5).trim());

            // Given more connections than the child has descriptors
            for (int i = 0; i < 400 && child.isAlive(); i++) {
                try {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    flood.add(socket);
                } catch (IOException refusedOrTimedOut) {
                    break; // the listener is gone
                }
            }

            // Then the child exits by itself, with status 1, saying why
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child still running: " + Files.readString(log));
            assertEquals(1, child.exitValue(), Files.readString(log));
            assertTrue(Files.readString(log).contains("stopped accepting connections"), Files.readString(log));
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
            child.destroyForcibly();
        }
    }
}
