package dev.mmsim.scenarios.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Madvise;
import dev.mmsim.core.PageCategory;
import dev.mmsim.scenarios.lang.MmapFlag;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API as a reviewer uses it: the example in src/site/examples is compiled from outside
 * mmsim's modules (only exported packages are visible to it) and run; and the typed results agree
 * with what a scenario prints.
 */
class ApiExampleTest {
    static final Path EXAMPLE = Path.of(System.getProperty("mmsim.home", ".."), "src/site/examples/GuardRegionScript.java");

    @TempDir
    Path out;

    @Test
    void theExampleCompilesAndRuns() throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
        String cp = Stream.of(System.getProperty("java.class.path"), System.getProperty("jdk.module.path"))
                .filter(p -> p != null && !p.isEmpty()).reduce((a, b) -> a + File.pathSeparator + b).orElse("");
        boolean ok = javac.getTask(null, files, diagnostics, List.of("-classpath", cp, "-d", out.toString(), "-proc:none"),
                null, files.getJavaFileObjects(EXAMPLE)).call();
        assertThat(ok).as(diagnostics.getDiagnostics().toString()).isTrue();

        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass("GuardRegionScript").getMethod("main", String[].class);
            System.setOut(new PrintStream(buf, true));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(old);
        }
        assertThat(buf.toString()).isEqualTo("""
                guard_install: ok
                read A+4p: SIGSEGV at A+4p
                scan: 4 [A..A+3p present|written, A+3p..A+4p written, A+4p..A+6p guard|swapped|written, A+6p..A+10p written] walk_end=A+10p
                guard region: A+4p..A+6p 2 pages [PAGE_IS_WRITTEN, PAGE_IS_SWAPPED, PAGE_IS_GUARD]
                pagemap A+4p: guard=true present=false
                child keeps the guard: true
                smaps: [rd, wr, mr, mw, me, gu, ac] rss=12kB
                """);
    }

    @Test
    void typedResultsMatchTheTranscript() {
        try (Machine m = Machine.builder().host("zero_page=on").profile("linux-6.12").build()) {
            Mapping a = m.mmap("A", 4 * Machine.PAGE, "rw", MmapFlag.PRIVATE, MmapFlag.ANON);
            assertThat(m.read(a.start(), 2 * Machine.PAGE).ok()).isTrue();
            Scan s = m.scan(a.start(), a.length());
            assertThat(s.text()).isEqualTo("2 [A..A+2p pfnzero|present|written, A+2p..A+4p none] walk_end=A+4p"); // 6.12: pte_none_written off
            assertThat(s.regions().get(0).categories())
                    .containsExactlyInAnyOrder(PageCategory.PAGE_IS_PFNZERO, PageCategory.PAGE_IS_PRESENT, PageCategory.PAGE_IS_WRITTEN);
            assertThat(m.pagemapText(a.start(), 4)).startsWith("A..A+2p present").endsWith("; A+2p..A+4p none");
            List<PagemapEntry> pm = m.pagemap(a.start(), 4);
            assertThat(pm).extracting(PagemapEntry::present).containsExactly(true, true, false, false);
            assertThat(pm.get(3).address()).isEqualTo(a.page(3));
            assertThat(pm.get(3).pfn()).isEqualTo(-1);
            assertThat(m.mprotect(a.page(1), Machine.PAGE, "r").ok()).isTrue();
            assertThat(m.madvise(a.start(), Machine.PAGE, Madvise.GUARD_INSTALL).errno()).isEqualTo("EINVAL"); // 6.13+
            assertThat(m.munmap(a.start() + 1, Machine.PAGE).errno()).isEqualTo("EINVAL");
            assertThat(m.smaps()).hasSize(3);
            assertThat(m.smapsText()).startsWith("A..A+1p rw-p");
        }
    }

    @Test
    void pageContentsFollowCopyOnWrite() {
        try (Machine m = Machine.builder().host("zero_page=off").build()) {
            Mapping a = m.mmap("A", 3 * Machine.PAGE, "rw", MmapFlag.PRIVATE, MmapFlag.ANON);
            assertThat(m.write(a.start(), 2 * Machine.PAGE, 7).ok()).isTrue();
            try (Machine child = m.fork()) {
                assertThat(child.write(a.page(1), Machine.PAGE, 9).ok()).isTrue();
                assertThat(child.value(a.page(1))).isEqualTo(9);
            }
            assertThat(m.value(a.page(1))).isEqualTo(7);
            assertThat(m.valuesText(a.start(), 3)).isEqualTo("A..A+2p 7; A+2p..A+3p 0");
            assertThat(m.madvise(a.start(), Machine.PAGE, Madvise.GUARD_INSTALL).ok()).isTrue();
            assertThat(m.valuesText(a.start(), 2)).isEqualTo("A..A+1p SIGSEGV; A+1p..A+2p 7");
        }
    }
}
