package dev.mmsim.scenarios.picture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.picture.Snapshot.*;
import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.run.Transcript;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The pictures' content, read from the snapshots and the HTML without a browser. */
class HtmlReportTest {
    private static Snapshot at(Pages.Page page, int line) {
        for (HtmlReport.Picture p : page.pictures()) if (p.line().line() == line) return p.snapshot();
        throw new AssertionError("no statement at line " + line);
    }

    @Test
    void theWalkLessonsTreeHasTablesAHoleAndTheWalkOnIt() throws Exception {
        Pages.Page page = Pages.render(Path.of(System.getProperty("mmsim.home", ".."), "scenarios/corpus/teaching/guard.scn"));
        Snapshot s = at(page, 6);
        assertThat(s.rows()).hasSize(3);
        assertThat(s.rows().get(0)).isInstanceOf(Table.class);
        assertThat(((Hole) s.rows().get(1)).depth()).isEqualTo(3);
        Table t = (Table) s.rows().get(2);
        assertThat(t.runs()).contains(new Run(EntryKind.GUARD, 1100 - 1024, 2));
        assertThat(s.scan().walk()).extracting(Snapshot.Step::callback)
                .containsExactly("test_walk", "pmd_entry", "pte_hole", "pmd_entry");
        assertThat(s.scan().walk().get(1).why()).isEqualTo("pte table");
        assertThat(s.scan().regions()).hasSize(7);
        assertThat(s.vmas()).singleElement().satisfies(v -> assertThat(v.flags()).contains("gu"));
        assertThat(page.html()).contains("class=\"callback pte_hole\"").contains("hole, depth 3");
    }

    @Test
    void theRowsAStatementChangedAreMarked() throws Exception {
        Pages.Page page = Pages.render(Path.of(System.getProperty("mmsim.home", ".."), "scenarios/corpus/teaching/reclaim.scn"));
        long a = at(page, 6).vmas().get(0).start();
        assertThat(at(page, 6).changed()).as("mmap builds no table").isEmpty();
        assertThat(at(page, 7).changed()).as("the first write: the first 2 MiB's table").containsExactly(a);
        assertThat(at(page, 9).changed()).as("the write at A+1030p: the third's").containsExactly(a + (2L << 20) * 2);
        assertThat(at(page, 10).changed()).as("a scan changes nothing").isEmpty();
        assertThat(at(page, 12).changed()).as("the table reclaimed").containsExactly(a + (2L << 20) * 2);
        // the reclaimed slot is drawn apart from the untouched hole beside it, and marked
        assertThat(at(page, 12).rows()).hasSize(3);
        String section = page.html().substring(page.html().indexOf("data-line=\"12\""));
        section = section.substring(0, section.indexOf("</section>"));
        assertThat(section.split("class=\"row-changed\"", -1)).hasSize(2);
    }

    @Test
    void aFreshMappingIsOneHoleAtDepthZero() throws Exception {
        Pages.Page page = Pages.render(Path.of(System.getProperty("mmsim.home", ".."), "scenarios/corpus/teaching/vma.scn"));
        Snapshot s = at(page, 3);
        assertThat(s.rows()).singleElement().isInstanceOfSatisfying(Hole.class, h -> assertThat(h.depth()).isZero());
        assertThat(s.vmas()).singleElement().satisfies(v -> assertThat(v.change()).isEqualTo(Change.NEW));
    }

    @Test
    void aThpIsALeafWithoutPteTableUntilItSplits() throws Exception {
        Pages.Page page = Pages.render(Path.of(System.getProperty("mmsim.home", ".."), "scenarios/corpus/teaching/thp.scn"));
        assertThat(at(page, 6).rows().get(0)).isInstanceOfSatisfying(Leaf.class,
                l -> assertThat(l.kind()).isEqualTo(LeafKind.THP));
        assertThat(at(page, 7).scan().walk().get(1).why()).isEqualTo("pmd leaf (thp)");
        Table split = (Table) at(page, 8).rows().get(0);
        assertThat(split.runs()).containsExactly(new Run(EntryKind.PRESENT, 0, 4), new Run(EntryKind.NONE, 4, 2),
                new Run(EntryKind.PRESENT, 6, 506));
    }

    @Test
    void identicalTablesAreOneRowAndTooManyRowsAreCut() throws Exception {
        Pages.Page full = Pages.render("scenario t/full\nmmap A 64M rw private anon\nwrite A 64M\n");
        assertThat(at(full, 3).rows()).singleElement().isInstanceOfSatisfying(Table.class, t -> {
            assertThat(t.repeat()).isEqualTo(32);
            assertThat(t.runs()).containsExactly(new Run(EntryKind.PRESENT, 0, 512));
        });
        StringBuilder sb = new StringBuilder("scenario t/sparse\nmmap A 256M rw private anon\n");
        for (int i = 0; i < 128; i += 2) sb.append("write A+").append(i * 512).append("p\n");
        Pages.Page sparse = Pages.render(sb.toString());
        List<Row> rows = sparse.pictures().get(sparse.pictures().size() - 1).snapshot().rows();
        assertThat(rows).hasSize(MmState.MAX_ROWS);
        assertThat(rows.get(rows.size() - 1)).isInstanceOfSatisfying(More.class, m -> assertThat(m.rows()).isEqualTo(128 - 39));
        assertThat(sparse.html()).contains("more rows up to");
    }

    @Test
    void manyRunsManyVmasAndManyRegionsAreSummarised() throws Exception {
        StringBuilder sb = new StringBuilder("scenario t/many\nmmap A 2M rw private anon align 2M\nwrite A 2M\n");
        for (int p = 0; p < 512; p += 2) sb.append("mprotect A+").append(p).append("p 1p r\n");
        sb.append("scan A 2M return present vec 300\n");
        Pages.Page page = Pages.render(sb.toString());
        String last = page.html().substring(page.html().lastIndexOf("<section"));
        assertThat(last.contains(256 + 256 - StripSvg.MAX_BOXES + " more VMAs not drawn")).isTrue();
        assertThat(last.contains(" more callbacks not drawn")).isTrue();
        assertThat(last.split("<g class=\"vma", -1)).hasSize(StripSvg.MAX_BOXES + 1);

        StringBuilder alt = new StringBuilder("scenario t/alt\nmmap A 2M rw private anon align 2M\nwrite A 2M\n");
        for (int p = 0; p < 512; p += 2) alt.append("madvise A+").append(p).append("p 1p guard_install\n");
        alt.append("scan A 2M vec 300\n");
        Pages.Page guards = Pages.render(alt.toString());
        Table t = (Table) guards.pictures().get(guards.pictures().size() - 1).snapshot().rows().get(0);
        assertThat(t.runs()).hasSize(512);
        assertThat(TreeSvg.binned(t.runs())).hasSize(512 / TreeSvg.BIN).allSatisfy(r -> assertThat(r.kind()).isNull());
        String section = guards.html().substring(guards.html().lastIndexOf("<section"));
        assertThat(section.split("class=\"pte ", -1)).hasSize(512 / TreeSvg.BIN + 1);
        assertThat(section.contains("mixed: 8 present, 8 guard")).isTrue();
        assertThat(section.contains(300 - StripSvg.MAX_BOXES + " more regions not drawn")).isTrue();
        assertThat(section.split("<g class=\"region\"", -1)).hasSize(StripSvg.MAX_BOXES + 1);
    }

    @Test
    void splitsAndMergesAreMarked() throws Exception {
        Pages.Page page = Pages.render("scenario t/split\nmmap A 10p rw private anon\nmprotect A+2p 2p r\nmprotect A+2p 2p rw\n");
        assertThat(at(page, 3).vmas()).extracting(VmaBox::change).containsExactly(Change.SPLIT, Change.SPLIT, Change.SPLIT);
        assertThat(at(page, 4).vmas()).extracting(VmaBox::change).containsExactly(Change.MERGED);
        assertThat(page.html()).contains("class=\"vma changed merged\"");
    }

    @Test
    void thePageFetchesNothing() throws Exception {
        Pages.Page page = Pages.render(Path.of(System.getProperty("mmsim.home", ".."), "scenarios/corpus/teaching/walk.scn"));
        String html = page.html().replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assertThat(html).doesNotContain("http:").doesNotContain("https:").doesNotContain("<link")
                .doesNotContain("src=").doesNotContain("@import").doesNotContain("url(http");
        Matcher m = Pattern.compile("<section class=\"step").matcher(page.html());
        int sections = 0;
        while (m.find()) sections++;
        assertThat(sections).isEqualTo(page.transcript().lines().size());
    }

    @Test
    void aDiffPageShowsBothSidesWhereTheyDiffer() throws Exception {
        // a stand-in for the kernel: the same statements but a read instead of the write, so that
        // the scan at line 4 differs (the zero page) and nothing else does
        HtmlReport report = new HtmlReport("diff");
        Transcript kernel = Pages.RUNNER.sim(ScenarioParser.parse("k.scn",
                "scenario t/d\nmmap A 4p rw private anon\nread A\nscan A 4p\n"), HostProfile.UPSTREAM, report.kernelObserver());
        Transcript sim = Pages.RUNNER.sim(ScenarioParser.parse("s.scn",
                "scenario t/d\nmmap A 4p rw private anon\nwrite A\nscan A 4p\n"), HostProfile.UPSTREAM, report.observer());
        report.add(sim, kernel);
        String html = report.render();
        List<String> differing = new ArrayList<>();
        Matcher m = Pattern.compile("<section class=\"step differs\"[^>]*data-line=\"(\\d+)\"").matcher(html);
        while (m.find()) differing.add(m.group(1));
        assertThat(differing).containsExactly("4");
        String section = html.substring(html.indexOf("<section class=\"step differs\""));
        section = section.substring(0, section.indexOf("</section>"));
        assertThat(section).contains("kernel: <code>" + kernel.lines().get(3).result() + "</code>")
                .contains("the kernel's VMAs and regions").contains("data-categories=\"pfnzero|present|written\"")
                .contains("data-categories=\"present|written\"");
        assertThat(html.split("the kernel's VMAs and regions", -1)).hasSize(2);
    }
}
