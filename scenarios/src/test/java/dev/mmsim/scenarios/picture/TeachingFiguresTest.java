package dev.mmsim.scenarios.picture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.ScenarioParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The teaching guide's pictures are generated, never drawn by hand: each is the figure of a
 * {@code trace scan} statement of a lesson scenario (scenarios/corpus/teaching), on the upstream
 * host profile. The build draws them into target/site/images/teaching/ and checks the copies the
 * guide shows (src/site/resources/images/teaching/) against them; after a change to the pictures
 * or the lessons, {@code mvn test -pl scenarios -am -Dtest=TeachingFiguresTest -Dgolden.update=true}
 * rewrites the copies, for review in the diff.
 */
class TeachingFiguresTest {
    static final Path HOME = Path.of(System.getProperty("mmsim.home", ".."));
    static final Path COPIES = HOME.resolve("src/site/resources/images/teaching");
    static final Path BUILT = HOME.resolve("scenarios/target/site/images/teaching");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    /** The name of a lesson's figure of the statement at {@code line}. */
    static String name(Path lesson, int line) {
        return lesson.getFileName().toString().replace(".scn", "") + "-" + line + ".svg";
    }

    @TestFactory
    Stream<DynamicTest> everyLessonFigureIsTheOneTheBuildDraws() throws Exception {
        Files.createDirectories(BUILT);
        if (UPDATE) Files.createDirectories(COPIES);
        return Pages.teaching().stream().filter(p -> !p.endsWith("walk.scn")).flatMap(lesson -> {
            List<Figure.Drawn> figures;
            try {
                figures = Figure.of(ScenarioParser.parse(lesson), Pages.RUNNER, HostProfile.UPSTREAM,
                        s -> s.startsWith("trace scan"));
            } catch (Exception e) {
                throw new IllegalStateException(lesson + ": " + e.getMessage(), e);
            }
            assertThat(figures).as(lesson + " has a trace scan to draw").isNotEmpty();
            return figures.stream().map(f -> DynamicTest.dynamicTest(name(lesson, f.line()), () -> {
                Files.writeString(BUILT.resolve(name(lesson, f.line())), f.svg());
                Path copy = COPIES.resolve(name(lesson, f.line()));
                if (UPDATE) Files.writeString(copy, f.svg());
                assertThat(copy).as("run with -Dgolden.update=true to draw it").exists();
                assertThat(Files.readString(copy)).as(copy + " is not what the build draws from " + lesson
                        + "; regenerate with -Dgolden.update=true and review the diff").isEqualTo(f.svg());
            }));
        });
    }
}
