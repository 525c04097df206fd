package dev.mmsim.scenarios.lang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Madvise;
import dev.mmsim.core.PageCategory;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** scenario-language.md documents every statement the parser accepts, every advice and category. */
class LanguageReferenceTest {
    static String reference() throws Exception {
        Path home = Path.of(System.getProperty("mmsim.home", ".."));
        return Files.readString(home.resolve("src/site/markdown/scenario-language.md"));
    }

    @Test
    void everyStatementHasAHeadingOrARow() throws Exception {
        String doc = reference();
        for (String word : Keyword.words()) {
            assertThat(doc).as("statement '%s' in scenario-language.md", word)
                    .containsPattern("(?m)^(###|\\|) .*`(\\w+: )?" + word + "( |`)");
        }
    }

    @Test
    void everyAdviceAndCategoryIsListed() throws Exception {
        String doc = reference();
        for (Madvise m : Madvise.values()) assertThat(doc).as("advice %s", m.scenarioName()).contains(m.scenarioName());
        for (PageCategory c : PageCategory.values()) assertThat(doc).as("category %s", c.scenarioName).contains(c.scenarioName);
    }
}
