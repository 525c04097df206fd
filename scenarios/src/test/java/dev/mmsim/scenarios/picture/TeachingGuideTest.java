package dev.mmsim.scenarios.picture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.exercise.Exercise;
import dev.mmsim.scenarios.exercise.Exercises;
import dev.mmsim.scenarios.exercise.Topic;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.run.Transcript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The teaching guide prints exactly what its lessons give: every fenced block after a
 * {@code <!-- transcript of FILE -->} comment is a contiguous part of FILE's simulator transcript
 * (upstream host profile), every block after {@code <!-- statements of FILE -->} holds only
 * statements of FILE, every exercise block is what {@code mmsim exercise} prints, and every picture
 * it shows exists.
 */
class TeachingGuideTest {
    static final Path HOME = Path.of(System.getProperty("mmsim.home", ".."));
    static final Path GUIDE = HOME.resolve("src/site/markdown/teaching-guide.md");
    static final Pattern MARKED = Pattern.compile("<!-- (transcript of|statements of|mmsim exercise) ([^>]*?) -->\\n```\\n(.*?)```",
            Pattern.DOTALL);

    record Block(String kind, String argument, String text) {}

    static List<Block> blocks() throws Exception {
        List<Block> out = new ArrayList<>();
        Matcher m = MARKED.matcher(Files.readString(GUIDE));
        while (m.find()) out.add(new Block(m.group(1), m.group(2), m.group(3)));
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyPrintedOutputIsWhatTheLessonGives() throws Exception {
        List<Block> blocks = blocks();
        assertThat(blocks.stream().filter(b -> b.kind().equals("transcript of"))).hasSizeGreaterThanOrEqualTo(6);
        assertThat(blocks.stream().filter(b -> b.kind().equals("mmsim exercise"))).hasSizeGreaterThanOrEqualTo(12);
        return blocks.stream().map(b -> DynamicTest.dynamicTest(b.kind() + " " + b.argument(), () -> {
            switch (b.kind()) {
                case "transcript of" -> {
                    Transcript t = Pages.RUNNER.sim(ScenarioParser.parse(HOME.resolve(b.argument())), HostProfile.UPSTREAM);
                    assertThat(t.render()).contains(b.text());
                }
                case "statements of" -> {
                    List<String> file = Files.readAllLines(HOME.resolve(b.argument())).stream()
                            .map(l -> l.replaceAll("#.*", "").trim()).toList();
                    for (String line : b.text().split("\n")) assertThat(file).contains(line.trim());
                }
                default -> {
                    String[] words = b.argument().split(" ");
                    long seed = Long.parseLong(words[1]);
                    Exercise e = Exercises.generate(seed, Topic.byWord(words[3]));
                    String expected = b.argument().contains("--answers")
                            ? e.render(e.answer(Pages.RUNNER, HostProfile.parse(words[words.length - 1])))
                            : e.render();
                    assertThat(b.text()).isEqualTo(expected);
                }
            }
        }));
    }

    @Test
    void everyPictureExists() throws Exception {
        Matcher m = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(Files.readString(GUIDE));
        int pictures = 0;
        while (m.find()) {
            pictures++;
            assertThat(GUIDE.getParent().resolve(m.group(1))).exists();
        }
        assertThat(pictures).isGreaterThanOrEqualTo(7);
    }
}
