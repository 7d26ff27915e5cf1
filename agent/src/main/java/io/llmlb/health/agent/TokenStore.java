package io.llmlb.health.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The file where a self-registered node keeps its token between runs: owner-only (0600) from the
 * moment it exists (written to a private temporary file, then renamed), and bound to the node id
 * it was issued for so a renamed node does not borrow another node's token.
 */
public final class TokenStore {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final Consumer<String> log;

    public TokenStore(Path file, Consumer<String> log) {
        this.file = file;
        this.log = log;
    }

    /** Where the token lives. */
    public Path file() {
        return file;
    }

    /** The stored token of {@code nodeId}, if the file exists and was written for that node. */
    public Optional<String> load(String nodeId) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
        tightenPermissions();
        String storedNode = null;
        String token = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("node_id=")) {
                storedNode = line.substring("node_id=".length()).trim();
            } else if (line.startsWith("token=")) {
                token = line.substring("token=".length()).trim();
            }
        }
        if (token == null || token.isEmpty()) {
            log.accept("token file " + file + " holds no token; ignoring it");
            return Optional.empty();
        }
        if (!nodeId.equals(storedNode)) {
            log.accept("token file " + file + " belongs to node " + storedNode + ", not " + nodeId + "; ignoring it");
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /** Stores {@code token} for {@code nodeId}, replacing the file atomically; it is never readable by others. */
    public void save(String nodeId, String token) {
        String text = "# node token issued by llmlb-health at self-registration; keep it secret\n"
                + "node_id=" + nodeId + "\n"
                + "token=" + token + "\n";
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, ".llmlb-node-token", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the token file " + file, e);
        }
    }

    private void tightenPermissions() {
        try {
            Set<PosixFilePermission> current = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(current)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
                log.accept("token file " + file + " was readable by others (" + PosixFilePermissions.toString(current)
                        + "); set it to rw-------");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or not ours to change: reading it is still allowed
        }
    }
}
