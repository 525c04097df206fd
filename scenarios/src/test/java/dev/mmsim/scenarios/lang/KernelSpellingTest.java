package dev.mmsim.scenarios.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmsim.core.Madvise;
import dev.mmsim.core.PageCategory;
import dev.mmsim.core.ScanFlag;

import org.junit.jupiter.api.Test;

/** The kernel's own spellings, accepted or answered, and the hints for other slips. */
class KernelSpellingTest {
    static Scenario parse(String body) throws Exception {
        return ScenarioParser.parse("k.scn", "scenario k\nmmap A 4p rw private anon\n" + body);
    }

    static String error(String body) {
        try {
            parse(body);
        } catch (ScenarioSyntaxException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error for " + body);
    }

    @Test
    void madvAndPageIsAndPmScanNamesAreAccepted() throws Exception {
        Scenario s = parse("madvise A 1p MADV_GUARD_INSTALL\nscan A 4p mask PAGE_IS_GUARD|PAGE_IS_PRESENT flags PM_SCAN_WP_MATCHING\n");
        MadviseStmt m = (MadviseStmt) s.steps().get(2).stmt();
        assertThat(m.advice()).isEqualTo(Madvise.GUARD_INSTALL);
        assertThat(s.steps().get(2).render()).isEqualTo("madvise A 1p guard_install");
        ScanStmt scan = (ScanStmt) s.steps().get(3).stmt();
        assertThat(scan.mask()).isEqualTo(PageCategory.PAGE_IS_GUARD.mask() | PageCategory.PAGE_IS_PRESENT.mask());
        assertThat(scan.flags()).isEqualTo(ScanFlag.PM_SCAN_WP_MATCHING);
    }

    @Test
    void onlyTheUpperCaseCSpellingIsAnAlias() {
        assertThat(error("madvise A 1p MADV_guard_install\n")).contains("unknown madvise advice 'MADV_guard_install'");
        assertThat(error("madvise A 1p MADV_\n")).contains("unknown madvise advice 'MADV_'");
    }

    @Test
    void misspeltKernelNamesGetTheLanguagesWord() {
        assertThat(error("madvise A 1p MADV_GAURD_INSTALL\n")).endsWith("(did you mean 'guard_install'?)");
        assertThat(error("scan A 4p mask PAGE_IS_GARD\n")).endsWith("(did you mean 'guard'?)");
    }

    @Test
    void pmScanArgFieldNamesAreAnswered() {
        assertThat(error("scan A 4p category_mask guard\n"))
                .isEqualTo("k.scn:3:11: unknown scan option 'category_mask' (struct pm_scan_arg's category_mask is written 'mask' here)");
        assertThat(error("scan A 4p max_pages 1\n")).contains("is written 'max' here");
        assertThat(error("scan A 4p return_mask guard\n")).contains("is written 'return' here");
        assertThat(error("scan A 4p category_anyof_mask guard\n")).contains("is written 'anyof' here");
    }

    @Test
    void aChildStatementWithoutItsColonIsExplained() {
        assertThat(error("fork c\nc read A\n"))
                .isEqualTo("k.scn:4:1: unknown statement 'c' (a statement of a child process is written 'c: read ...', with a colon)");
        assertThat(error("mmpa A 1p rw private anon\n")).endsWith("(did you mean 'mmap'?)");
    }
}
