package io.llmlb.health.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's Java consumer is the compiled {@link OfflineAlerter}, not a sketch: the code block
 * that follows the README's link to the file must be the file's lines between its markers.
 */
class ReadmeExamplesTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCE = Path.of("src", "main", "java", "io", "llmlb", "health", "examples",
            "OfflineAlerter.java");

    @Test
    void readmeShowsTheCompiledConsumerLineForLine() throws IOException {
        String readme = Files.readString(README);
        Matcher block = Pattern.compile("OfflineAlerter\\.java\\).*?```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(block.find(), "README links OfflineAlerter.java and shows a java block after the link");
        assertEquals(markedLines(), block.group(1));
    }

    @Test
    void readmeNamesTheCoordinatesTheExampleBuildsWith() throws IOException {
        String readme = Files.readString(README);
        assertTrue(readme.contains("org.apache.kafka:kafka-clients:4.4.0"), "kafka-clients coordinates");
        assertTrue(readme.contains("com.fasterxml.jackson.core:jackson-databind:2."), "jackson-databind coordinates");
    }

    private static String markedLines() throws IOException {
        List<String> lines = Files.readAllLines(SOURCE);
        int start = lines.indexOf("        // README:start");
        int end = lines.indexOf("        // README:end");
        assertTrue(start >= 0 && end > start, "markers in " + SOURCE);
        return lines.subList(start + 1, end).stream()
                .map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
