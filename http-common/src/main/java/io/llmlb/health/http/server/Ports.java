package io.llmlb.health.http.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Checks that a port can be bound before anything is started on the promise of it. */
public final class Ports {

    private Ports() {
    }

    /**
     * Returns when {@code host:port} can be bound now (port 0 always can).
     *
     * @param variable the environment variable that sets this port, named in the message
     * @throws StartupException naming the port and {@code variable} when another process holds it
     */
    public static void requireFree(String host, int port, String variable) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            // As the real listeners do: a port left in TIME_WAIT by our own last run is free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw inUse(host, port, variable);
        } catch (IOException e) {
            throw new StartupException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); set "
                    + variable + " to another port or LLMLB_HOST to another interface");
        }
    }

    /** The message for a port another process holds. */
    public static StartupException inUse(String host, int port, String variable) {
        return new StartupException("port " + port + " (" + host + ") is already in use by another process; stop it or set "
                + variable + " to a free port");
    }
}
