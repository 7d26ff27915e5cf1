package io.llmlb.health.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {

    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    @Test
    void savedTokenIsOwnerOnlyAndReadBackForTheSameNode() throws Exception {
        TokenStore store = new TokenStore(dir.resolve("sub/token"), log::add);

        store.save("node-1", "abc");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertEquals(Optional.of("abc"), new TokenStore(store.file(), log::add).load("node-1"));
        try (var files = Files.list(store.file().getParent())) {
            assertEquals(List.of(store.file()), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void tokenOfAnotherNodeIsNotUsed() {
        TokenStore store = new TokenStore(dir.resolve("token"), log::add);
        store.save("node-1", "abc");

        assertEquals(Optional.empty(), store.load("node-2"));
        assertTrue(log.getFirst().contains("belongs to node node-1"), log.toString());
    }

    @Test
    void missingFileMeansNoToken() {
        assertEquals(Optional.empty(), new TokenStore(dir.resolve("none"), log::add).load("node-1"));
        assertTrue(log.isEmpty());
    }

    @Test
    void fileReadableByOthersIsTightened() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "node_id=node-1\ntoken=abc\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertEquals(Optional.of("abc"), new TokenStore(file, log::add).load("node-1"));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(1, log.size());
    }

    @Test
    void replacingKeepsTheModeAndTheNewToken() throws Exception {
        TokenStore store = new TokenStore(dir.resolve("token"), log::add);
        store.save("node-1", "old");
        store.save("node-1", "new");

        assertEquals(Optional.of("new"), store.load("node-1"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
    }
}
