package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.lang.MmapStmt;
import dev.mmsim.scenarios.lang.Step;

import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/** The shrinker, on predicates over the text: what it keeps, drops, merges and makes smaller. */
class ShrinkerTest {
    static boolean hasLine(FuzzCase c, String regex) {
        return c.lines().stream().anyMatch(l -> l.matches(regex));
    }

    @Test
    void onlyTheStatementsThePredicateNeedsRemainAtTheirSmallest() {
        Predicate<FuzzCase> guardThenRead = c -> hasLine(c, "madvise .* guard_install") && hasLine(c, "read .*");
        // a case that guards a mapping (not an address in the arena between them), so that the
        // smallest form of that statement names the mapping
        FuzzCase failing = Fuzzing.seeds(500).mapToObj(Fuzzing.GENERATOR::generate).filter(guardThenRead)
                .filter(c -> hasLine(c, "madvise [A-Z].* guard_install"))
                .filter(c -> c.lines().size() > 10).findFirst().orElseThrow();
        FuzzCase minimal = new Shrinker(guardThenRead).shrink(failing);
        // which three depends on the first generated case that qualifies (the moves the simulator
        // models decide it): the advice may name the arena rather than the mapping
        assertThat(minimal.lines()).as(failing.text()).hasSize(3);
        assertThat(minimal.lines()).as(minimal.text())
                .anyMatch(l -> l.matches("mmap [A-Za-z]\\w* 1p .*"))
                .anyMatch(l -> l.matches("madvise \\S+ 1p guard_install"))
                .anyMatch(l -> l.matches("read [A-Za-z]\\w*"));
    }

    @Test
    void sizesShrinkToTheSmallestThatStillFails() {
        Predicate<FuzzCase> aMappingOfThreePages = c -> Campaign.scenario(c).steps().stream().map(Step::stmt)
                .anyMatch(s -> s instanceof MmapStmt m && m.size().bytes() >= 3 * 4096);
        FuzzCase failing = new FuzzCase(1, List.of("mmap A 40p rw private anon populate", "write A 40p",
                "mmap B 2M rw shared anon at A+40p"));
        FuzzCase minimal = new Shrinker(aMappingOfThreePages).shrink(failing);
        assertThat(minimal.lines()).singleElement().asString().startsWith("mmap A 3p rw private");
    }

    @Test
    void aMappingMergesIntoAnEarlierOneAndTakesItsUsersAlong() {
        List<String> lines = List.of("mmap A 4p rw private anon", "mmap B 2p r private anon at A+8p",
                "madvise B+1p 1p guard_install", "scan B 2p", "read A");
        assertThat(Names.merge(lines, "B", "A"))
                .containsExactly("mmap A 4p rw private anon", "madvise A+1p 1p guard_install", "scan A 2p", "read A");
        assertThat(Names.without(lines, "A")).isEmpty();
        assertThat(Names.without(lines, "B")).containsExactly("mmap A 4p rw private anon", "read A");
    }

    @Test
    void theBudgetBoundsTheTries() {
        Shrinker shrinker = new Shrinker(c -> false, 10);
        FuzzCase c = Fuzzing.GENERATOR.generate(7);
        assertThat(shrinker.shrink(c)).isEqualTo(c);
        assertThat(shrinker.tries()).isEqualTo(10);
    }

    @Test
    void asyncIsNeverDroppedSoThatNoFaultWaitsForAUserfaultfdHandler() {
        assertThat(Smaller.lines("uffd_register A 4p wp async")).allMatch(l -> l.endsWith(" async"));
    }

    @Test
    void wholePagesStayWholePages() {
        assertThat(Smaller.smaller("1p")).isEmpty();
        assertThat(Smaller.smaller("6p")).containsExactly("1p", "3p", "5p");
        assertThat(Smaller.smaller("A+5p")).containsExactly("A", "A+1p", "A+2p", "A+4p");
        assertThat(Smaller.smaller("A-1p")).containsExactly("A");
        assertThat(Smaller.smaller("0x1800")).containsExactly("1p", "2K");
    }
}
