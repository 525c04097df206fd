package dev.mmsim.scenarios.ext;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.PageCategory;
import dev.mmsim.core.SemanticChoice;
import dev.mmsim.core.SemanticExtension;
import dev.mmsim.core.VmFlag;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Each decision point of {@link SemanticExtension}: a scenario replayed with the kernel's rules
 * and with an extension that changes that one decision, and the line where they part.
 */
class ExtensionHooksTest {
    static final HostProfile HOST = HostProfile.parse("zero_page=off,thp=madvise");

    /** The result of the last statement, with the kernel's rules or with {@code ext}. */
    static String last(String body, SemanticExtension ext) throws Exception {
        Runner runner = new Runner(Layout.DEFAULT_ARENA, 0, new SemanticChoice(null, Map.of(), ext));
        Transcript t = runner.sim(ScenarioParser.parse("x.scn", "scenario x\n" + body), HOST);
        assertThat(t.outcome().kind().name()).as(t.render()).isEqualTo("PASSED");
        return t.lines().getLast().result();
    }

    @Test
    void scanCategories_guardMarkersReportedAsPresent() throws Exception {
        String body = "mmap A 4p rw private anon\nmadvise A+1p 1p guard_install\nscan A 4p\n";
        assertThat(last(body, SemanticExtension.KERNEL)).contains("A+1p..A+2p guard|swapped|written");
        SemanticExtension ext = new SemanticExtension() {
            @Override
            public long scanCategories(long kernel, long address, long vmaFlags, boolean guardMarker) {
                return guardMarker ? PageCategory.PAGE_IS_PRESENT.mask() : kernel;
            }
        };
        assertThat(last(body, ext)).contains("A+1p..A+2p present").doesNotContain("guard");
        assertThat(last(body + "scan A 4p mask guard\n", ext)).isEqualTo("0 [] walk_end=A+4p");
    }

    @Test
    void isMergeableVma_neverMerge() throws Exception {
        String body = "mmap A 4p rw private anon\nmprotect A+2p 2p r\nmprotect A+2p 2p rw\nmaps A 4p\n";
        assertThat(last(body, SemanticExtension.KERNEL)).isEqualTo("A..A+4p rw-p");
        SemanticExtension ext = new SemanticExtension() {
            @Override
            public boolean isMergeableVma(boolean kernel, long vmaFlags, long vmaPages, long rangeFlags, long rangePages) {
                return false;
            }
        };
        assertThat(last(body, ext)).isEqualTo("A..A+2p rw-p; A+2p..A+4p rw-p");
    }

    @Test
    void forkCopiesPageTables_neverCopy() throws Exception {
        String body = "mmap A 2p rw private anon\nmadvise A 1p guard_install\nfork c\nc: pagemap A 2p\n";
        assertThat(last(body, SemanticExtension.KERNEL)).startsWith("A..A+1p swap guard");
        SemanticExtension ext = new SemanticExtension() {
            @Override
            public boolean forkCopiesPageTables(boolean kernel, long vmaFlags, boolean hasAnonVma) {
                return false;
            }
        };
        assertThat(last(body, ext)).isEqualTo("A..A+2p none");
    }

    @Test
    void guardInstallAndRemove_allowedInLockedMemory() throws Exception {
        String install = "mmap A 2p rw private anon\nmlock A 2p\nmadvise A 1p guard_install\n";
        assertThat(last(install, SemanticExtension.KERNEL)).isEqualTo("EINVAL");
        SemanticExtension locked = new SemanticExtension() {
            @Override
            public boolean guardInstallAllowed(boolean kernel, long vmaFlags) {
                return kernel || (vmaFlags & VmFlag.VM_LOCKED.mask()) != 0;
            }
        };
        assertThat(last(install, locked)).isEqualTo("ok");
        String remove = "mmap A 2p rw private anon\nmadvise A 1p guard_install\nmadvise A 1p guard_remove\n";
        assertThat(last(remove, SemanticExtension.KERNEL)).isEqualTo("ok");
        SemanticExtension noRemove = new SemanticExtension() {
            @Override
            public boolean guardRemoveAllowed(boolean kernel, long vmaFlags) {
                return false;
            }
        };
        assertThat(last(remove, noRemove)).isEqualTo("EINVAL");
    }

    @Test
    void faultMapsZeroPage_onAHostWithoutIt() throws Exception {
        String body = "mmap A 2p rw private anon\nread A 2p\nscan A 2p\n";
        assertThat(last(body, SemanticExtension.KERNEL)).doesNotContain("pfnzero");
        SemanticExtension ext = new SemanticExtension() {
            @Override
            public boolean faultMapsZeroPage(boolean kernel, long vmaFlags, long address, boolean huge) {
                return true;
            }
        };
        assertThat(last(body, ext)).contains("A..A+2p pfnzero|present");
    }

    @Test
    void faultMapsThp_withoutMadviseHugepage() throws Exception {
        String body = "requires thp\nmmap A 2M rw private anon align 2M\nwrite A\nscan A 2M\n";
        assertThat(last(body, SemanticExtension.KERNEL)).doesNotContain("huge");
        SemanticExtension ext = new SemanticExtension() {
            @Override
            public boolean faultMapsThp(boolean kernel, long vmaFlags, long address) {
                return true;
            }
        };
        assertThat(last(body, ext)).isEqualTo("1 [A..A+512p huge|present|written] walk_end=A+512p");
    }
}
