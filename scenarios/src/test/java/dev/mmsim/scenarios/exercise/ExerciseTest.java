package dev.mmsim.scenarios.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Outcome;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Generated exercises: reproducible, valid, every question answered, and the answers check themselves. */
class ExerciseTest {
    static final Runner RUNNER = new Runner(Layout.DEFAULT_ARENA, 60);

    @TestFactory
    Stream<DynamicTest> everyTopicAndSeedGivesAnAnsweredExercise() {
        return Stream.of(Topic.values()).flatMap(topic -> LongStream.rangeClosed(1, 25).mapToObj(seed ->
                DynamicTest.dynamicTest(topic.word + " seed " + seed, () -> {
                    Exercise e = Exercises.generate(seed, topic);
                    assertThat(Exercises.generate(seed, topic)).isEqualTo(e);
                    assertThat(e.questionCount()).isGreaterThanOrEqualTo(3);
                    for (HostProfile host : new HostProfile[] {HostProfile.UPSTREAM, HostProfile.parse("zero_page=off")}) {
                        Transcript t = e.answer(RUNNER, host);
                        assertThat(t.outcome()).as(t.render()).isEqualTo(Outcome.PASSED);
                        String answered = e.render(t);
                        assertThat(answered).doesNotContain("# Q" + (e.questionCount() + 1) + ":");
                        for (int q = 1; q <= e.questionCount(); q++) assertThat(answered).contains("# Q" + q + ":\n");
                        // the answers are expectations: replaying the answered file checks every one
                        Transcript again = RUNNER.sim(ScenarioParser.parse("answers.scn", answered), host);
                        assertThat(again.failures()).isEmpty();
                        assertThat(again.outcome()).isEqualTo(Outcome.PASSED);
                        assertThat(answered.lines().filter(l -> l.contains(" => ")).count()).isEqualTo(e.questionCount());
                    }
                })));
    }

    @Test
    void theSeedChoosesTheExerciseAndDifferentSeedsDiffer() {
        Set<String> texts = new HashSet<>();
        for (long seed = 1; seed <= 10; seed++) texts.add(Exercises.generate(seed, Topic.GUARD).render());
        assertThat(texts).hasSizeGreaterThan(5);
        Set<Topic> topics = new HashSet<>();
        for (long seed = 0; seed < 6; seed++) topics.add(Exercises.generate(seed, null).topic());
        assertThat(topics).containsExactlyInAnyOrder(Topic.values());
    }

    @Test
    void theQuestionsCarryNoResult() {
        String text = Exercises.generate(3, Topic.SCAN).render();
        assertThat(text.lines().filter(l -> !l.startsWith("#"))).allSatisfy(l -> assertThat(l).doesNotContain("=>"));
        assertThat(text).contains("# Q1").contains("--seed 3 --topic scan --answers");
    }
}
