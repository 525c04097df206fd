package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.Comparison;

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
 * The known gaps: each is documented, listed in KNOWN-GAPS.md, still differs on this host, and is
 * caused by its triggers (without them its scenario agrees). A gap that no longer differs fails
 * here: the simulator was fixed, so remove the gap. The list only shrinks.
 */
class KnownGapsTest {
    static final Path MARKDOWN = AgentBuild.home().resolve("KNOWN-GAPS.md");
    static final Pattern MENTION = Pattern.compile("known-gaps/([a-z0-9-]+)\\.scn");

    static List<KnownGap> gaps() throws Exception {
        return KnownGaps.load(KnownGaps.defaultDirectory()).all();
    }

    @Test
    void everyGapIsNamedAfterItsFileAndSaysWhatDiffersAndWhy() throws Exception {
        for (KnownGap g : gaps()) {
            assertThat(g.scenario().name()).isEqualTo("known-gaps/" + g.name());
            String text = Files.readString(g.file());
            assertThat(text).as(g.file().toString()).contains("\n# differs: ").contains("\n# why: ");
        }
    }

    @Test
    void knownGapsMdListsEveryGapAndNoOther() throws Exception {
        List<String> mentioned = new ArrayList<>();
        Matcher m = MENTION.matcher(Files.readString(MARKDOWN));
        while (m.find()) mentioned.add(m.group(1));
        assertThat(mentioned).containsExactlyInAnyOrderElementsOf(gaps().stream().map(KnownGap::name).toList());
    }

    /**
     * Each gap's scenario differs where the gap says, after a trigger; without the triggering
     * statements it agrees, or differs in another way that the other gaps explain.
     */
    @TestFactory
    Stream<DynamicTest> everyGapStillDiffersBecauseOfItsTriggers() throws Exception {
        KnownGaps all = KnownGaps.load(KnownGaps.defaultDirectory());
        return all.all().stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            try (DifferentialRunner runner = Fuzzing.runner(Fuzzing.hostOrSkip())) {
                Comparison c = runner.compare(Campaign.scenario(g.asCase()));
                assertThat(c.verdict()).as("%s no longer differs: remove it\n%s", g.name(), c.explain())
                        .isEqualTo(Comparison.Verdict.DIFFER);
                Mismatch m = Mismatch.of(g.asCase(), c);
                assertThat(g.appliesTo(m)).as("%s differs where it says, after a trigger", g.name()).isTrue();
                FuzzCase rest = g.withoutTriggers(m);
                Comparison without = runner.compare(Campaign.scenario(rest));
                if (without.verdict() != Comparison.Verdict.AGREE) {
                    assertThat(Signature.of(without)).as("%s without its triggers", g.name()).isNotEqualTo(m.signature());
                    assertThat(all.explain(runner, Mismatch.of(rest, without)).rest())
                            .as("%s without its triggers\n%s", g.name(), without.explain()).isNull();
                }
            }
        }));
    }
}
