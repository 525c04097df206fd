package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.Fork;
import dev.mmsim.mm.FrameTable;
import dev.mmsim.mm.MadviseOps;
import dev.mmsim.mm.Memory;
import dev.mmsim.mm.Mlock;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;
import dev.mmsim.mm.PteBits;
import dev.mmsim.proc.SmapsEntry.Counter;

import java.util.List;

import org.junit.jupiter.api.Test;

/** smaps counters: Rss, Locked (proportional), PMD leaves (AnonHugePages) and hugetlb pages. */
class SmapsTest {
    static final long BASE = 0x100000000000L;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    SmapsEntry only(Mm m) {
        List<SmapsEntry> e = Smaps.smaps(m, BASE, BASE + PMD_SIZE * 4);
        assertThat(e).hasSize(1);
        return e.get(0);
    }

    void write(Mm m, long addr, int pages) {
        for (int i = 0; i < pages; i++) assertThat(Memory.handleMmFault(m, addr + i * PAGE_SIZE, true)).isEqualTo(Memory.FaultResult.OK);
    }

    @Test
    void lockedCountsTheProportionalShareOfEachPage() {
        assertThat(Mmap.doMmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        write(mm, BASE, 2);
        assertThat(only(mm).counters()).isEmpty();
        assertThat(Mlock.doMlock(mm, BASE, 4 * PAGE_SIZE)).isZero();
        assertThat(only(mm).rssKb()).isEqualTo(16);
        assertThat(only(mm).kb(Counter.LOCKED)).isEqualTo(16);
        Mm child = Fork.dupMmap(mm);
        // every page is now mapped twice: the parent's locked VMA counts half of each
        assertThat(only(mm).kb(Counter.LOCKED)).isEqualTo(8);
        assertThat(only(child).vmFlags()).doesNotContain("lo");
        assertThat(only(child).kb(Counter.LOCKED)).isZero();
    }

    @Test
    void anAnonymousPmdLeafCountsAsOneHugePage() {
        assertThat(Mmap.doMmap(mm, BASE, 2 * PMD_SIZE, RW, ANON, null, 0)).isZero();
        int pfn = mm.frames().alloc(FrameTable.ANON);
        mm.frames().map(pfn);
        mm.pageTables().setPmdLeaf(BASE + PMD_SIZE, PteBits.mkPresent(pfn, true, true, false) | PteBits._PAGE_PSE);
        write(mm, BASE, 1);
        SmapsEntry e = only(mm);
        assertThat(e.rssKb()).isEqualTo(2048 + 4);
        assertThat(e.kb(Counter.ANON_HUGE)).isEqualTo(2048);
        assertThat(e.kb(Counter.FILE_PMD)).isZero();
        assertThat(e.kb(Counter.PRIVATE_HUGETLB)).isZero();
        assertThat(e.kb(Counter.LOCKED)).isZero();
    }

    @Test
    void theHugeZeroPageIsNotCounted() {
        assertThat(Mmap.doMmap(mm, BASE, PMD_SIZE, RW, ANON, null, 0)).isZero();
        mm.pageTables().setPmdLeaf(BASE, PteBits.mkPresent(FrameTable.ZERO_PFN, false, false, true) | PteBits._PAGE_PSE);
        assertThat(only(mm).rssKb()).isZero();
        assertThat(only(mm).counters()).isEmpty();
    }

    @Test
    void aHugetlbPageIsPrivateUntilMappedTwice() {
        FrameTable frames = mm.frames();
        int pfn = frames.alloc(FrameTable.ANON);
        long entry = PteBits.mkPresent(pfn, true, true, false) | PteBits._PAGE_PSE;
        Smaps.MemSizeStats mss = new Smaps.MemSizeStats();
        frames.map(pfn);
        Smaps.smapsHugetlbEntry(mss, frames, entry);
        assertThat(mss.privateHugetlb).isEqualTo(PMD_SIZE);
        assertThat(mss.resident).isZero();
        frames.map(pfn);
        Smaps.smapsHugetlbEntry(mss, frames, entry);
        assertThat(mss.sharedHugetlb).isEqualTo(PMD_SIZE);
        Smaps.smapsHugetlbEntry(mss, frames, 0);
        assertThat(mss.sharedHugetlb + mss.privateHugetlb).isEqualTo(2 * PMD_SIZE);
        assertThat(Smaps.counters(mss)).containsEntry(Counter.PRIVATE_HUGETLB, 2048L)
                .containsEntry(Counter.SHARED_HUGETLB, 2048L);
    }
}
