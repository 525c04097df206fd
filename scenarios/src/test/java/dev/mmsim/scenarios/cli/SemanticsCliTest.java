package dev.mmsim.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.run.Corpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reviewer's switches on the command line: for every semantic, {@code mmsim compare} over
 * scenarios/corpus/semantics lists exactly the scenarios whose transcripts the switch changes
 * (each of those scenarios agrees with the kernel under the default semantics; see CorpusTest).
 */
class SemanticsCliTest {
    static final String SEMANTICS = Corpus.builtin().resolve("semantics").toString();

    @TempDir
    Path dir;

    /** The scenarios compare lists as changed, in its order. */
    static List<String> changed(String... options) {
        return changedIn(SEMANTICS, options);
    }

    /** The scenarios of dir compare lists as changed, in its order. */
    static List<String> changedIn(String dir, String... options) {
        String[] args = Stream.concat(Stream.of("compare", "--host-profile", "zero_page=off"),
                Stream.concat(Arrays.stream(options), Stream.of(dir))).toArray(String[]::new);
        CliTest.Run r = CliTest.run(args);
        assertThat(r.err()).isEmpty();
        List<String> out = r.out().lines().filter(l -> l.startsWith("changed  "))
                .map(l -> l.substring("changed  ".length(), l.indexOf(".scn")))
                .toList();
        assertThat(r.status()).as(r.out()).isEqualTo(out.isEmpty() ? 0 : 1);
        return out;
    }

    static Stream<Arguments> switches() {
        return Stream.of(
                Arguments.of("pagemap_scan=off", List.of("semantics/access-ok-user-ptr-max",
                        "semantics/pagemap-cmd-einval", "semantics/pagemap-exclusive-per-page", "semantics/pmd-hole-written",
                        "semantics/profile-linux-6-15", "semantics/pt-reclaim", "semantics/pte-none-written",
                        "semantics/scan-soft-dirty", "semantics/sticky-neighbours", "semantics/zero-page",
                        "semantics/zero-pages-pagemap")),
                Arguments.of("guard_regions=off", List.of("semantics/file-guard", "semantics/fork-file-guard",
                        "semantics/profile-linux-6-15", "semantics/sticky-neighbours")),
                Arguments.of("file_guard=off", List.of("semantics/file-guard", "semantics/fork-file-guard")),
                Arguments.of("pagemap_guard=off", List.of("semantics/profile-linux-6-15")),
                Arguments.of("mremap_param_checks=off", List.of("semantics/mremap-linux-6-16")),
                // VmLck after a dontunmap move of a locked mapping: ops/status shows it on Debian's 6.12
                Arguments.of("mremap_dontunmap_locked=off", List.of()),
                Arguments.of("scan_soft_dirty=off", List.of("semantics/scan-soft-dirty")),
                // no scenario here seals, or gives process_madvise() one range past TASK_SIZE:
                // ops/mseal and ops/extreme-values show them on Debian's 6.1
                Arguments.of("iovec_single_ubuf=off", List.of()),
                Arguments.of("mprotect_unaccount=off", List.of("semantics/mprotect-unaccount")),
                Arguments.of("madvise_populate_range=off", List.of("semantics/madvise-populate-range")),
                Arguments.of("mseal=off", List.of()),
                Arguments.of("hugetlb_restore_reserve=off", List.of("semantics/hugetlb-restore-reserve")),
                Arguments.of("uffd_wp_async=off", List.of("semantics/pmd-hole-written", "semantics/uffd-wp-async")),
                Arguments.of("mmap_fixed_unmap_error=off", List.of("semantics/mmap-fixed-unmap-error")),
                // the huge zero page only shows where the host has the zero page (these hosts do not):
                // pagemap-ioctl/zeropfn-thp shows it on Debian's 6.12
                Arguments.of("huge_zero_wp_thp=off", List.of()),
                Arguments.of("pagemap_cmd_einval=off", List.of("semantics/pagemap-cmd-einval")),
                Arguments.of("process_madvise_self=off", List.of("semantics/process-madvise-self")),
                Arguments.of("pt_reclaim=off", List.of("semantics/pt-reclaim")),
                Arguments.of("scan_guard=off", List.of("semantics/sticky-neighbours")),
                Arguments.of("anon_merge_unfaulted=off", List.of()),
                Arguments.of("ksm_new_vma_merge=off", List.of()),
                // the one mremap scenario here names linux-6.16, which has mremap_multi_vma off already
                Arguments.of("mremap_multi_vma=off", List.of()),
                Arguments.of("maybe_guard=off", List.of("semantics/fork-file-guard", "semantics/sticky-neighbours")),
                Arguments.of("sticky_flags=off", List.of("semantics/sticky-neighbours")),
                Arguments.of("copy_on_fork_guard=off", List.of("semantics/fork-file-guard")),
                // the huge zero page is the PMD leaf it shows on, and these hosts have no zero page: see below
                Arguments.of("pagemap_pmd_file=off", List.of()),
                Arguments.of("pagemap_folio_exclusive=off", List.of("semantics/pagemap-exclusive-per-page")),
                Arguments.of("user_ptr_max=off", List.of("semantics/access-ok-user-ptr-max")),
                // only a range ending exactly at TASK_SIZE_MAX shows it: nothing in the corpus
                Arguments.of("access_ok_end=off", List.of()),
                Arguments.of("pte_none_written=off", List.of("semantics/pagemap-cmd-einval",
                        "semantics/pmd-hole-written", "semantics/pte-none-written",
                        "semantics/scan-soft-dirty", "semantics/zero-page")),
                Arguments.of("pmd_hole_written=off", List.of("semantics/pmd-hole-written")),
                Arguments.of("zero_page=on", List.of("semantics/zero-page", "semantics/zero-pages-pagemap")));
    }

    @ParameterizedTest(name = "--set {0}")
    @MethodSource("switches")
    void compareListsTheScenariosEachSwitchChanges(String setting, List<String> expected) {
        assertThat(changed("--set", setting)).containsExactlyElementsOf(expected);
    }

    /** Switches that show in scenarios/corpus/merge (the selftests whose expectations they changed). */
    static Stream<Arguments> mergeSwitches() {
        return Stream.of(
                Arguments.of("anon_merge_unfaulted=off", List.of("merge/mprotect-faulted-left-unfaulted-right",
                        "merge/mprotect-unfaulted-both", "merge/mprotect-unfaulted-left-faulted-right",
                        "merge/mprotect-unfaulted-left", "merge/mprotect-unfaulted-right",
                        "merge/mremap-faulted-to-unfaulted-next", "merge/mremap-faulted-to-unfaulted-prev-faulted-next",
                        "merge/mremap-faulted-to-unfaulted-prev-unfaulted-next", "merge/mremap-faulted-to-unfaulted-prev")),
                Arguments.of("ksm_new_vma_merge=off", List.of("merge/ksm-merge")));
    }

    @ParameterizedTest(name = "--set {0}")
    @MethodSource("mergeSwitches")
    void compareListsTheMergeScenariosEachSwitchChanges(String setting, List<String> expected) {
        assertThat(changedIn(Corpus.builtin().resolve("merge").toString(), "--set", setting))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void pagemapPmdFileShowsOnTheHugeZeroPage() {
        String[] args = {"compare", "--host-profile", "zero_page=on", "--set", "pagemap_pmd_file=off", SEMANTICS};
        CliTest.Run r = CliTest.run(args);
        assertThat(r.out().lines().filter(l -> l.startsWith("changed  ")).toList())
                .containsExactly("changed  semantics/zero-pages-pagemap.scn:23: pagemap H 2p");
    }

    @Test
    void everySemanticHasACase() {
        List<String> covered = switches().map(a -> ((String) a.get()[0]).split("=")[0]).toList();
        assertThat(covered).containsExactlyInAnyOrderElementsOf(new SemanticOptions.SemanticNames());
    }

    @Test
    void switchingOnWhatAScenariosProfileLacksChangesIt() {
        assertThat(changed("--set", "mremap_multi_vma=on")).containsExactly("semantics/mremap-linux-6-16");
    }

    @Test
    void aProfileComparesAgainstEachScenariosOwn() {
        assertThat(changed("--profile", "linux-6.19")).containsExactly("semantics/mremap-linux-6-16",
                "semantics/pagemap-cmd-einval", "semantics/pmd-hole-written", "semantics/profile-linux-6-15", "semantics/pte-none-written",
                "semantics/scan-soft-dirty", "semantics/zero-page");
        assertThat(changed("--profile", "newest", "--set", "pte_none_written=off")).contains("semantics/profile-linux-6-15");
    }

    @Test
    void compareShowsTheFirstChangedStatementWithBothResults() {
        CliTest.Run r = CliTest.run("compare", "--host-profile", "zero_page=off", "--set", "sticky_flags=off",
                SEMANTICS + "/sticky-neighbours.scn");
        assertThat(r.out()).contains("changed  semantics/sticky-neighbours.scn:14: smaps G 48p\n"
                + "  baseline: G..N2+16p rw-p flags=rd,wr,mr,mw,me,gu,ac rss=0p swap=0p\n"
                + "  switched: G..N1 rw-p flags=rd,wr,mr,mw,me,gu,ac rss=0p swap=0p; "
                + "N1..N2+16p rw-p flags=rd,wr,mr,mw,me,ac rss=0p swap=0p\n")
                .contains("summary: 1 changed, 0 unchanged, 0 not compared");
    }

    @Test
    void compareNeedsSomethingToCompare() {
        CliTest.Run r = CliTest.run("compare", SEMANTICS);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("give --profile, --set or --semantic-class");
    }

    @Test
    void badSettingsAndProfilesAreUserErrors() {
        CliTest.Run unknown = CliTest.run("replay", "--set", "stickyflags=off", SEMANTICS);
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown semantic 'stickyflags'").contains("sticky_flags");
        CliTest.Run value = CliTest.run("diff", "--set", "sticky_flags=maybe", SEMANTICS);
        assertThat(value.status()).isEqualTo(2);
        assertThat(value.err()).contains("expected sticky_flags=on or sticky_flags=off");
        CliTest.Run profile = CliTest.run("check", "--profile", "linux-6.0", SEMANTICS);
        assertThat(profile.status()).isEqualTo(2);
        assertThat(profile.err()).contains("--profile: no profile for linux-6.0");
    }

    @Test
    void replayUnderAProfileNamesItInTheHeader() throws Exception {
        Path p = dir.resolve("t.scn");
        Files.writeString(p, "scenario t\nmmap A 2p rw private anon\nmadvise A 1p guard_install\n");
        CliTest.Run r = CliTest.run("replay", "--host-profile", "zero_page=off", "--profile", "linux-6.12",
                "--set", "zero_page=on", p.toString());
        assertThat(r.out()).contains("# semantics: linux-6.12 zero_page=on\n").contains("3: madvise A 1p guard_install => EINVAL");
    }
}
