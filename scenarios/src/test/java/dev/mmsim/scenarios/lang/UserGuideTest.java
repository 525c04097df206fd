package dev.mmsim.scenarios.lang;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The complete scenarios in the user guide's chapter on the language parse. */
class UserGuideTest {
    private static final Path CHAPTER =
            Path.of(System.getProperty("mmsim.home", ".."), "src/site/markdown/scenario-language.md");

    /** The fenced code blocks of the chapter that start with a {@code scenario} statement. */
    private static List<String> scenarios() throws IOException {
        List<String> blocks = new ArrayList<>();
        String[] parts = Files.readString(CHAPTER).split("```\n?");
        for (int i = 1; i < parts.length; i += 2) {
            if (parts[i].startsWith("scenario ")) {
                blocks.add(parts[i]);
            }
        }
        return blocks;
    }

    @Test
    void theChaptersScenariosParse() throws IOException {
        List<String> scenarios = scenarios();
        assertThat(scenarios).isNotEmpty();
        scenarios.forEach(Scenarios::parse);
    }
}
