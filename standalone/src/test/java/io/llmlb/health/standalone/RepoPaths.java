package io.llmlb.health.standalone;

import java.nio.file.Path;

/** Where the repository is, for tests that use its files (seed, deploy/, config/, the launcher). */
final class RepoPaths {

    private RepoPaths() {
    }

    /** The repository root: Maven runs a module's tests in the module's directory. */
    static Path root() {
        return Path.of("").toAbsolutePath().getParent();
    }
}
