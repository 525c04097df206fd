import dev.mmsim.core.Madvise;
import dev.mmsim.core.PageCategory;
import dev.mmsim.proc.SmapsEntry;
import dev.mmsim.scenarios.api.Machine;
import dev.mmsim.scenarios.api.Mapping;
import dev.mmsim.scenarios.api.PagemapEntry;
import dev.mmsim.scenarios.api.Region;
import dev.mmsim.scenarios.api.Scan;
import dev.mmsim.scenarios.lang.MmapFlag;

/**
 * A reviewer's script against mmsim's Java API (package dev.mmsim.scenarios.api): guard regions
 * through fork, with typed results. Compiled and run by the tests (ApiExampleTest); to run it by
 * hand with an unpacked release:
 *
 *   java -cp 'lib/*' docs/examples/GuardRegionScript.java
 */
public class GuardRegionScript {
    public static void main(String[] args) {
        try (Machine m = Machine.builder().host("zero_page=off").build()) {
            Mapping a = m.mmap("A", 10 * Machine.PAGE, "rw", MmapFlag.PRIVATE, MmapFlag.ANON);
            m.write(a.start(), 3 * Machine.PAGE);
            System.out.println("guard_install: " + m.madvise(a.page(4), 2 * Machine.PAGE, Madvise.GUARD_INSTALL));
            System.out.println("read A+4p: " + m.read(a.page(4), Machine.PAGE).signal()
                    + " at " + m.render(m.read(a.page(4), Machine.PAGE).address()));

            Scan scan = m.scan(a.start(), a.length());
            System.out.println("scan: " + scan.text());
            for (Region r : scan.regions()) {
                if (r.has(PageCategory.PAGE_IS_GUARD))
                    System.out.println("guard region: " + m.render(r.start()) + ".." + m.render(r.end())
                            + " " + r.pages() + " pages " + r.categories());
            }

            PagemapEntry e = m.pagemap(a.page(4), 1).get(0);
            System.out.println("pagemap A+4p: guard=" + e.guard() + " present=" + e.present());

            try (Machine child = m.fork()) {
                System.out.println("child keeps the guard: " + child.pagemap(a.page(4), 1).get(0).guard());
            }

            SmapsEntry vma = m.smaps().get(0);
            System.out.println("smaps: " + vma.vmFlags() + " rss=" + vma.rssKb() + "kB");
        }
    }
}
