package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.run.AgentBuild;

import java.util.List;

import org.jacoco.core.data.ExecutionDataStore;
import org.junit.jupiter.api.Test;

/** The coverage report: which methods model kernel functions, and the totals from the class files. */
class CoverageReportTest {
    @Test
    void aMethodModelsTheKernelFunctionsItsJavadocNames() {
        String source = """
                package x;
                final class Y {
                    /** move_page_tables() and move_normal_pmd(): moves the tables. */
                    static long movePageTables(long a, int b) {
                        return a;
                    }

                    /** The mremap() system call. */
                    public static long mremap(Mm mm, long addr) { return 0; }

                    /** Java only: see size() and {@link #foo}. */
                    int other() { return 1; }

                    /** A field, not a method: vma_merge(). */
                    static final int FIELD = 3;

                    /** install_breakpoint(). */
                    @Override
                    public <T> List<T> install(T t) { return null; }
                }
                """;
        List<CoverageReport.Declared> d = CoverageReport.declarations(source);
        assertThat(d).containsExactly(
                new CoverageReport.Declared("movePageTables", 4, List.of("move_page_tables()", "move_normal_pmd()")),
                new CoverageReport.Declared("mremap", 9, List.of("mremap()")),
                new CoverageReport.Declared("install", 19, List.of("install_breakpoint()")));
    }

    @Test
    void nothingRunIsNothingCoveredOfEveryBranchOfTheSimulator() {
        CoverageReport r = CoverageReport.of(new ExecutionDataStore(), AgentBuild.home());
        assertThat(r.mm().covered()).isZero();
        assertThat(r.mm().total()).isGreaterThan(2000);
        assertThat(r.proc().total()).isGreaterThan(400);
        assertThat(r.modelled()).isNotNull();
        assertThat(r.modelled().covered()).isZero();
        assertThat(r.functions()).extracting(CoverageReport.Function::method).contains("Mremap.doMremap", "Mmap.doMmap", "PagemapScan.pagemapScanPmdEntry");
        CoverageReport.Function mremap = r.functions().stream().filter(f -> f.method().equals("Mremap.doMremap")).findFirst().orElseThrow();
        assertThat(mremap.branches().total()).isGreaterThan(10);
        assertThat(mremap.belowGoal()).isTrue();
        assertThat(r.render(false)).contains("Mremap.doMremap").contains("sim-mm    0.0 %");
    }
}
