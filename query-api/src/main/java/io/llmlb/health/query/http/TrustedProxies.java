package io.llmlb.health.query.http;

import io.llmlb.health.wire.ConfigException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The proxies whose {@code X-Forwarded-For} is believed ({@code LLMLB_TRUSTED_PROXIES}): IPv4 and
 * IPv6 addresses and CIDR blocks. Empty trusts nobody: the TCP peer is the client.
 */
public final class TrustedProxies {

    /** Trusts no proxy. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

    static final String VARIABLE = "LLMLB_TRUSTED_PROXIES";
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** One address block: the first {@code prefixBits} bits of {@code network}. */
    private record Block(byte[] network, int prefixBits) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefixBits).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Block> blocks;
    private final String spec;

    private TrustedProxies(List<Block> blocks, String spec) {
        this.blocks = blocks;
        this.spec = spec;
    }

    /**
     * Parses comma-separated addresses and CIDR blocks ({@code 10.0.0.0/8, ::1, fd00::/8}); null or
     * blank trusts nobody.
     *
     * @throws ConfigException naming {@value #VARIABLE} and the entry that is not an address or block
     */
    public static TrustedProxies parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<Block> blocks = new ArrayList<>();
        for (String raw : value.split(",")) {
            String entry = raw.strip();
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash)).orElseThrow(() ->
                    new ConfigException(VARIABLE + ": '" + entry + "' is not an IPv4 or IPv6 address or CIDR block"
                            + " (e.g. 10.0.0.0/8, 172.18.0.5, fd00::/8)"));
            int maxBits = address.length * 8;
            int prefix = maxBits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > maxBits) {
                    throw new ConfigException(VARIABLE + ": prefix length of '" + entry + "' must be 0.." + maxBits);
                }
            }
            blocks.add(new Block(address, prefix));
        }
        return new TrustedProxies(List.copyOf(blocks), value.strip());
    }

    /** Whether {@code address} (an IP literal) is a trusted proxy; false for anything unparsable. */
    public boolean trusts(String address) {
        if (blocks.isEmpty()) {
            return false;
        }
        Optional<byte[]> bytes = literal(address);
        return bytes.isPresent() && blocks.stream().anyMatch(block -> block.contains(bytes.get()));
    }

    /** Whether no proxy is trusted. */
    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /**
     * The bytes of an IP literal: dotted-quad IPv4, or IPv6 (brackets allowed, no zone). Never a DNS
     * lookup: a host name is not an address here. IPv4-mapped IPv6 ({@code ::ffff:1.2.3.4}) comes
     * back as the IPv4 address, as the JDK maps it.
     */
    static Optional<byte[]> literal(String text) {
        String candidate = text.strip();
        if (candidate.startsWith("[") && candidate.endsWith("]")) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        var ipv4 = IPV4.matcher(candidate);
        if (ipv4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(ipv4.group(i + 1));
                if (octet > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) octet;
            }
            return Optional.of(bytes);
        }
        if (candidate.indexOf(':') < 0 || !IPV6.matcher(candidate).matches()) {
            return Optional.empty();
        }
        try {
            // With a colon and only hex digits, colons and dots, the JDK parses a literal and never resolves.
            return Optional.of(InetAddress.getByName(candidate).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** One spelling per address ({@code 2001:DB8:0::1} and {@code 2001:db8::1} are one client). */
    static String canonical(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not 4 or 16 bytes", e);
        }
    }

    @Override
    public String toString() {
        return spec.isEmpty() ? "none" : spec;
    }
}
