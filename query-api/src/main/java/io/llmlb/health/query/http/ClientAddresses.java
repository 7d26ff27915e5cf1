package io.llmlb.health.query.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The address a request comes from, for everything keyed by client (login and enrollment
 * throttling). Behind a proxy every client shares the proxy's address, so 5 bad logins from anyone
 * locked the real admin out; the proxy's {@code X-Forwarded-For} names the client, but only a
 * trusted proxy may say so, or any client could claim any address.
 *
 * <p>The rule: start from the TCP peer; while the hop at hand is a trusted proxy, step to the next
 * address to its left in {@code X-Forwarded-For} (all such headers, in order, commas splitting).
 * The first untrusted hop is the client. If the list runs out or holds something that is not an IP
 * address, the last trusted hop is as far as anyone can tell.
 */
public final class ClientAddresses {

    private static final HeaderName FORWARDED_FOR = HeaderNames.X_FORWARDED_FOR;

    private final TrustedProxies trusted;

    public ClientAddresses(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** The client's address as text. */
    public String of(ServerRequest request) {
        String peer = peerAddress(request);
        if (!trusted.trusts(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        request.headers().all(FORWARDED_FOR, List::of).forEach(header -> {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        });
        return resolve(peer, hops);
    }

    /** The rule of the class comment, for {@code peer} (trusted) and the forwarded hops, leftmost first. */
    String resolve(String peer, List<String> hops) {
        String client = peer;
        for (int i = hops.size() - 1; i >= 0 && trusted.trusts(client); i--) {
            var hop = TrustedProxies.literal(hops.get(i));
            if (hop.isEmpty()) {
                break;
            }
            client = TrustedProxies.canonical(hop.get());
        }
        return client;
    }

    private static String peerAddress(ServerRequest request) {
        if (request.remotePeer().address() instanceof InetSocketAddress socket && socket.getAddress() != null) {
            return socket.getAddress().getHostAddress();
        }
        return request.remotePeer().host();
    }
}
