package io.llmlb.health.query.config;

import io.llmlb.health.wire.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Where the JWT signing secret comes from: {@code LLMLB_JWT_SECRET} when set (at least 32 bytes),
 * else a random secret generated once and kept in {@code <data>/jwt-secret} with mode 0600, so
 * tokens survive restarts. Secrets that were ever published as examples are refused: anyone can
 * sign an admin token with them.
 */
public final class JwtSecrets {

    public static final int MIN_SECRET_BYTES = 32;
    static final String FILE_NAME = "jwt-secret";
    /** Example values once shipped in docker-compose.yml and docs; a copy of one is no secret. */
    static final Set<String> KNOWN_PLACEHOLDERS = Set.of(
            "change-me-to-a-long-random-secret-of-32-bytes-or-more");

    private JwtSecrets() {
    }

    /** The secret from the environment value, or from (or into) the data folder. */
    public static byte[] resolve(String fromEnvironment, Path dataDir) {
        if (fromEnvironment != null) {
            if (KNOWN_PLACEHOLDERS.contains(fromEnvironment.trim())) {
                throw new ConfigException("LLMLB_JWT_SECRET is the published example value; set a random secret"
                        + " of at least " + MIN_SECRET_BYTES + " bytes (openssl rand -base64 48)");
            }
            byte[] secret = fromEnvironment.getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_SECRET_BYTES) {
                throw new ConfigException("LLMLB_JWT_SECRET is " + secret.length + " bytes; at least "
                        + MIN_SECRET_BYTES + " are required for HS256");
            }
            return secret;
        }
        return loadOrCreate(dataDir.resolve(FILE_NAME));
    }

    private static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] secret = new byte[64];
                new SecureRandom().nextBytes(secret);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(secret));
                } catch (FileAlreadyExistsException e) {
                    // Another replica on the same data folder created it first: use theirs.
                }
            }
            byte[] secret = Base64.getDecoder().decode(Files.readString(file).trim());
            if (secret.length < MIN_SECRET_BYTES) {
                throw new ConfigException(file + " holds a secret shorter than " + MIN_SECRET_BYTES + " bytes");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the JWT secret file " + file, e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + " is not a base64 JWT secret: " + e.getMessage());
        }
    }
}
