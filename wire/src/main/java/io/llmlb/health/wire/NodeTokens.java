package io.llmlb.health.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Node tokens: minted at random, stored only as their SHA-256, compared in constant time. */
public final class NodeTokens {

    /** 32 random bytes: 256 bits, well above the 128 the security review asks for. */
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeTokens() {
    }

    /** A new random token, URL-safe so it can go in a header or an environment variable as is. */
    public static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex SHA-256 of {@code token}, the only form in which a token is kept. */
    public static String sha256Hex(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether two hex hashes are equal, in time independent of where they differ. */
    public static boolean sameHash(String leftHex, String rightHex) {
        return MessageDigest.isEqual(leftHex.getBytes(StandardCharsets.US_ASCII),
                rightHex.getBytes(StandardCharsets.US_ASCII));
    }
}
