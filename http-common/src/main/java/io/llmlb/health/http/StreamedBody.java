package io.llmlb.health.http;

import io.helidon.webserver.http.ServerResponse;
import java.io.BufferedOutputStream;
import java.io.OutputStream;

/**
 * The body of an answer written as it is rendered (a full node list, a scrape), gathered into
 * chunks of {@value #CHUNK_BYTES} bytes. The writers behind it hand on about 8 KB at a time
 * (Jackson's 8,000 bytes, a text encoder's 8 KiB); unbuffered, each would be a chunk and a socket
 * write of its own, and with TCP_NODELAY a packet (docs/benchmarks.md, figure 10i).
 */
public final class StreamedBody {

    /** The chunk size of a streamed answer. */
    public static final int CHUNK_BYTES = 64 * 1024;

    private StreamedBody() {
    }

    /** The response's body stream, buffered to {@link #CHUNK_BYTES}; closing it ends the answer. */
    public static OutputStream of(ServerResponse response) {
        return new BufferedOutputStream(response.outputStream(), CHUNK_BYTES);
    }
}
