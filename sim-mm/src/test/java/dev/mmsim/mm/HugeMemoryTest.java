package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;

import org.junit.jupiter.api.Test;

/**
 * The THP rules of {@link HugeMemory} (mm/huge_memory.c, MADV_COLLAPSE of mm/khugepaged.c): where a
 * fault maps a PMD leaf, which operations keep it, which split it into 512 PTEs of the same
 * folio, and what collapse requires. Expected values come from the kernel transcripts of
 * scenarios/corpus/thp.
 */
class HugeMemoryTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    static Mm mm(String host) {
        return new Mm(Semantics.newest(HostProfile.parse(host)));
    }

    /** A 2 MiB-aligned private anonymous mapping of the given size with MADV_HUGEPAGE. */
    static void hugeMapping(Mm mm, long size) {
        assertThat(Mmap.doMmap(mm, BASE, size, RW, ANON, null, 0)).isZero();
        assertThat(MadviseOps.doMadvise(mm, BASE, size, Madvise.HUGEPAGE)).isZero();
    }

    static long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    @Test
    void collapseOfARegularFileIsEinvalAndChangesNothingWhileShmemIsNotModelled() {
        Mm mm = mm("zero_page=off");
        MappedFile f = MappedFile.regular("f", 2 * PMD_SIZE, mm.frames());
        int shared = MapFlag.MAP_SHARED | MapFlag.MAP_FIXED_NOREPLACE;
        assertThat(Mmap.doMmap(mm, BASE, 2 * PMD_SIZE, Prot.PROT_READ, shared, f, 0)).isZero();
        assertThat(MadviseOps.doMadvise(mm, BASE, 2 * PMD_SIZE, Madvise.POPULATE_READ)).isZero();
        assertThat(MadviseOps.doMadvise(mm, BASE, 2 * PMD_SIZE, Madvise.HUGEPAGE)).isZero();
        long before = mm.pageTables().pte(BASE);
        assertThat(MadviseOps.doMadvise(mm, BASE, 2 * PMD_SIZE, Madvise.COLLAPSE)).isEqualTo(Errno.EINVAL.neg());
        assertThat(mm.pageTables().pmdLeaf(BASE)).isNull();
        assertThat(mm.pageTables().pte(BASE)).isEqualTo(before);

        long memfdAt = BASE + 4 * PMD_SIZE;
        MappedFile m = MappedFile.memfd("m", 2 * PMD_SIZE);
        assertThat(Mmap.doMmap(mm, memfdAt, 2 * PMD_SIZE, Prot.PROT_READ, shared, m, 0)).isZero();
        assertThat(MadviseOps.doMadvise(mm, memfdAt, 2 * PMD_SIZE, Madvise.HUGEPAGE)).isZero();
        assertThatThrownBy(
                () -> MadviseOps.doMadvise(mm, memfdAt, 2 * PMD_SIZE, Madvise.COLLAPSE))
                .isInstanceOf(NotModelledException.class);
    }

    @Test
    void shmemCollapseBlockedByAGuardStillRebuildsThePageCacheAndUnmapsThePages() {
        Mm mm = mm("zero_page=off");
        MappedFile m = MappedFile.memfd("m", 2 * PMD_SIZE);
        int shared = MapFlag.MAP_SHARED | MapFlag.MAP_FIXED_NOREPLACE;
        assertThat(Mmap.doMmap(mm, BASE, 2 * PMD_SIZE, Prot.PROT_READ, shared, m, 0)).isZero();
        assertThat(MadviseOps.doMadvise(mm, BASE, 2 * PMD_SIZE, Madvise.POPULATE_READ)).isZero();
        assertThat(MadviseOps.doMadvise(mm, BASE, PAGE_SIZE, Madvise.GUARD_INSTALL)).isZero();
        assertThat(MadviseOps.doMadvise(mm, BASE + PMD_SIZE, PAGE_SIZE, Madvise.GUARD_INSTALL)).isZero();
        assertThat(MadviseOps.doMadvise(mm, BASE, 2 * PMD_SIZE, Madvise.HUGEPAGE)).isZero();

        assertThat(MadviseOps.doMadvise(mm, BASE, 2 * PMD_SIZE, Madvise.COLLAPSE)).isEqualTo(Errno.EINVAL.neg());
        assertThat(isGuardMarker(mm.pageTables().pte(BASE))).isTrue();
        assertThat(mm.pageTables().pte(BASE + PAGE_SIZE)).isZero();
        assertThat(mm.pageTables().pmdLeaf(BASE)).isNull();
        assertThat(m.largeFolioHead(5)).isZero();
        assertThat(m.lookup(5)).isNotZero();

        // a read maps the whole huge folio back, but for the guard
        assertThat(Memory.handleMmFault(mm, BASE + PAGE_SIZE, false)).isEqualTo(Memory.FaultResult.OK);
        assertThat(pteP(mm.pageTables().pte(BASE + 511 * PAGE_SIZE))).isTrue();
        assertThat(isGuardMarker(mm.pageTables().pte(BASE))).isTrue();
    }

    @Test
    void writeFaultMapsOneLeafOfAWholeExclusiveFolio() {
        Mm mm = mm("zero_page=off,thp=madvise");
        hugeMapping(mm, 4 * PMD_SIZE);
        assertThat(Memory.handleMmFault(mm, page(5), true)).isEqualTo(Memory.FaultResult.OK);
        PmdLeaf leaf = mm.pageTables().pmdLeaf(BASE);
        assertThat(leaf).isNotNull();
        assertThat(pteWrite(leaf.entry)).isTrue();
        long head = ptePfn(leaf.entry);
        assertThat(head % 512).isZero();
        assertThat(mm.frames().entireMapcount(head)).isEqualTo(1);
        assertThat(mm.frames().isLarge(head + 511)).isTrue();
        assertThat(mm.frames().folioMaybeMappedShared(head + 7)).isFalse();
        assertThat(mm.pageTables().pteTable(BASE)).isNull();
        assertThat(MmInvariants.violations(mm)).isEmpty();
    }

    @Test
    void noLeafWithoutVmHugepageUnderMadviseNorEverUnderNever() {
        Mm mm = mm("thp=madvise");
        Mmap.doMmap(mm, BASE, 2 * PMD_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, true);
        assertThat(mm.pageTables().pmdLeaf(BASE)).isNull();
        Mm never = mm("thp=never");
        hugeMapping(never, 2 * PMD_SIZE);
        Memory.handleMmFault(never, BASE, true);
        assertThat(never.pageTables().pmdLeaf(BASE)).isNull();
        Mm always = mm("thp=always");
        Mmap.doMmap(always, BASE, 2 * PMD_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(always, BASE, true);
        assertThat(always.pageTables().pmdLeaf(BASE)).isNotNull();
    }

    @Test
    void aReadMapsTheHugeZeroPageOnlyWhereTheHostUsesZeroPages() {
        Mm on = mm("zero_page=on,thp=madvise");
        hugeMapping(on, 2 * PMD_SIZE);
        Memory.handleMmFault(on, BASE, false);
        PmdLeaf leaf = on.pageTables().pmdLeaf(BASE);
        assertThat(on.frames().isHugeZeroPfn(ptePfn(leaf.entry))).isTrue();
        assertThat(pteSpecial(leaf.entry)).isTrue();
        // a write replaces it by a THP of its own
        Memory.handleMmFault(on, BASE, true);
        assertThat(on.frames().isHugeZeroPfn(ptePfn(on.pageTables().pmdLeaf(BASE).entry))).isFalse();
        Mm off = mm("zero_page=off,thp=madvise");
        hugeMapping(off, 2 * PMD_SIZE);
        Memory.handleMmFault(off, BASE, false);
        assertThat(off.frames().isLarge(ptePfn(off.pageTables().pmdLeaf(BASE).entry))).isTrue();
    }

    @Test
    void partialDontneedSplitsTheLeafAndKeepsTheFolio() {
        Mm mm = mm("zero_page=off,thp=madvise");
        hugeMapping(mm, 2 * PMD_SIZE);
        Memory.handleMmFault(mm, BASE, true);
        long head = ptePfn(mm.pageTables().pmdLeaf(BASE).entry);
        assertThat(MadviseOps.doMadvise(mm, page(4), 2 * PAGE_SIZE, Madvise.DONTNEED)).isZero();
        assertThat(mm.pageTables().pmdLeaf(BASE)).isNull();
        long[] table = mm.pageTables().pteTable(BASE);
        assertThat(table).isNotNull();
        assertThat(table[4]).isZero();
        assertThat(table[5]).isZero();
        assertThat(ptePfn(table[6])).isEqualTo(head + 6);
        assertThat(mm.frames().isLarge(head + 6)).isTrue();
        assertThat(mm.frames().entireMapcount(head)).isZero();
        assertThat(mm.frames().mapcount(head + 6)).isEqualTo(1);
        assertThat(MmInvariants.violations(mm)).isEmpty();
    }

    @Test
    void wholePmdDontneedLeavesNoTable() {
        Mm mm = mm("zero_page=off,thp=madvise");
        hugeMapping(mm, 2 * PMD_SIZE);
        Memory.handleMmFault(mm, BASE, true);
        long anon = mm.frames().anonFrames();
        MadviseOps.doMadvise(mm, BASE, PMD_SIZE, Madvise.DONTNEED);
        assertThat(mm.pageTables().pmdLeaf(BASE)).isNull();
        assertThat(mm.pageTables().pteTable(BASE)).isNull();
        assertThat(mm.frames().anonFrames()).isEqualTo(anon - 512);
    }

    @Test
    void mprotectKeepsAWholeLeafAndSplitsAPartOfOne() {
        Mm mm = mm("zero_page=off,thp=madvise");
        hugeMapping(mm, 2 * PMD_SIZE);
        Memory.handleMmFault(mm, BASE, true);
        Memory.handleMmFault(mm, BASE + PMD_SIZE, true);
        assertThat(Mprotect.doMprotect(mm, BASE + PMD_SIZE, PMD_SIZE, Prot.PROT_READ)).isZero();
        PmdLeaf kept = mm.pageTables().pmdLeaf(BASE + PMD_SIZE);
        assertThat(kept).isNotNull();
        assertThat(pteWrite(kept.entry)).isFalse();
        assertThat(Mprotect.doMprotect(mm, page(4), 4 * PAGE_SIZE, Prot.PROT_READ)).isZero();
        assertThat(mm.pageTables().pmdLeaf(BASE)).isNull();
        assertThat(pteWrite(mm.pageTables().pte(page(4)))).isFalse();
        assertThat(pteWrite(mm.pageTables().pte(page(3)))).isTrue();
        assertThat(MmInvariants.violations(mm)).isEmpty();
    }

    @Test
    void forkSharesTheFolioAndACowWriteSplitsTheWritersLeafOnly() {
        Mm parent = mm("zero_page=off,thp=madvise");
        hugeMapping(parent, 2 * PMD_SIZE);
        Memory.handleMmFault(parent, BASE, true);
        long head = ptePfn(parent.pageTables().pmdLeaf(BASE).entry);
        Mm child = Fork.dupMmap(parent);
        assertThat(parent.frames().entireMapcount(head)).isEqualTo(2);
        assertThat(pteWrite(parent.pageTables().pmdLeaf(BASE).entry)).isFalse();
        assertThat(parent.frames().folioMaybeMappedShared(head)).isTrue();
        Memory.handleMmFault(parent, page(1), true);
        assertThat(parent.pageTables().pmdLeaf(BASE)).isNull();
        assertThat(ptePfn(parent.pageTables().pte(page(1)))).isNotEqualTo(head + 1);
        assertThat(ptePfn(parent.pageTables().pte(page(2)))).isEqualTo(head + 2);
        assertThat(child.pageTables().pmdLeaf(BASE)).isNotNull();
        assertThat(MmInvariants.violations(parent)).isEmpty();
        assertThat(MmInvariants.violations(child)).isEmpty();
    }

    @Test
    void mremapMovesAnAlignedLeafAndSplitsOneMovedOffAlignment() {
        Mm mm = mm("zero_page=off,thp=madvise");
        hugeMapping(mm, PMD_SIZE);
        Memory.handleMmFault(mm, BASE, true);
        long to = BASE + 32 * PMD_SIZE;
        assertThat(Mremap.doMremap(mm, BASE, PMD_SIZE, PMD_SIZE, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, to))
                .isEqualTo(to);
        assertThat(mm.pageTables().pmdLeaf(to)).isNotNull();
        long off = BASE + 40 * PMD_SIZE + 4 * PAGE_SIZE;
        assertThat(Mremap.doMremap(mm, to, PMD_SIZE, PMD_SIZE, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, off))
                .isEqualTo(off);
        assertThat(mm.pageTables().pmdLeaf(off)).isNull();
        assertThat(pteP(mm.pageTables().pte(off))).isTrue();
        assertThat(MmInvariants.violations(mm)).isEmpty();
    }

    @Test
    void collapseNeedsAnAnonVmaATableAndNoMarkers() {
        Mm mm = mm("zero_page=off,thp=madvise");
        Mmap.doMmap(mm, BASE, 3 * PMD_SIZE, RW, ANON, null, 0);
        // no anon_vma yet
        assertThat(MadviseOps.doMadvise(mm, BASE, PMD_SIZE, Madvise.COLLAPSE)).isEqualTo(Errno.EINVAL.neg());
        Memory.handleMmFault(mm, page(1), true);
        assertThat(MadviseOps.doMadvise(mm, BASE, PMD_SIZE, Madvise.COLLAPSE)).isZero();
        PmdLeaf leaf = mm.pageTables().pmdLeaf(BASE);
        assertThat(leaf).isNotNull();
        assertThat(mm.frames().nonZero(ptePfn(leaf.entry) + 1)).isTrue();
        assertThat(mm.frames().nonZero(ptePfn(leaf.entry))).isFalse();
        // no table in the next range: it fails, and nothing after it is collapsed
        Memory.handleMmFault(mm, BASE + 2 * PMD_SIZE, true);
        assertThat(MadviseOps.doMadvise(mm, BASE + PMD_SIZE, 2 * PMD_SIZE, Madvise.COLLAPSE)).isEqualTo(Errno.EINVAL.neg());
        assertThat(mm.pageTables().pmdLeaf(BASE + 2 * PMD_SIZE)).isNull();
        // a guard marker fails it
        MadviseOps.doMadvise(mm, BASE + 2 * PMD_SIZE + PAGE_SIZE, PAGE_SIZE, Madvise.GUARD_INSTALL);
        assertThat(MadviseOps.doMadvise(mm, BASE + 2 * PMD_SIZE, PMD_SIZE, Madvise.COLLAPSE)).isEqualTo(Errno.EINVAL.neg());
        // VM_NOHUGEPAGE refuses it
        MadviseOps.doMadvise(mm, BASE, PMD_SIZE, Madvise.NOHUGEPAGE);
        assertThat(MadviseOps.doMadvise(mm, BASE, PMD_SIZE, Madvise.COLLAPSE)).isEqualTo(Errno.EINVAL.neg());
        assertThat(MmInvariants.violations(mm)).isEmpty();
    }

    @Test
    void partialMadvFreeSplitsTheFolioAndZeroFilledPagesBecomeTheZeroPage() {
        Mm mm = mm("zero_page=off,thp=madvise");
        hugeMapping(mm, 2 * PMD_SIZE);
        Memory.handleMmFault(mm, BASE, true);
        long head = ptePfn(mm.pageTables().pmdLeaf(BASE).entry);
        assertThat(MadviseOps.doMadvise(mm, page(4), PAGE_SIZE, Madvise.FREE)).isZero();
        assertThat(ptePfn(mm.pageTables().pte(BASE))).isEqualTo(head);
        assertThat(ptePfn(mm.pageTables().pte(page(1)))).isEqualTo(FrameTable.ZERO_PFN);
        assertThat(mm.frames().isLarge(head)).isFalse();
        assertThat(mm.frames().kind(head + 1)).isEqualTo(FrameTable.FREE);
    }

    @Test
    void theInvariantCheckerFindsALeafAcrossAVmaBoundary() {
        Mm mm = mm("zero_page=off,thp=madvise");
        hugeMapping(mm, PMD_SIZE);
        Memory.handleMmFault(mm, BASE, true);
        // cut the VMA behind the split rules' back
        Vma v = mm.vmaLookup(BASE);
        v.setRange(v.start(), BASE + PMD_SIZE / 2, v.pgoff());
        assertThat(MmInvariants.misplacedPmdLeaves(mm)).singleElement().asString().contains("not wholly inside");
    }

    @Test
    void pageoutSplitsTheFolioSwapsWrittenPagesAndKeepsTheirContents() {
        Mm mm = mm("zero_page=off,thp=madvise");
        mm.frames().swap().enable();
        hugeMapping(mm, 2 * PMD_SIZE);
        Memory.handleMmFault(mm, BASE, true);
        assertThat(MadviseOps.doMadvise(mm, BASE, PMD_SIZE, Madvise.PAGEOUT)).isZero();
        long pte = mm.pageTables().pte(BASE);
        assertThat(isSwapPte(pte) && !isPteMarker(pte)).isTrue();
        assertThat(ptePfn(mm.pageTables().pte(page(1)))).isEqualTo(FrameTable.ZERO_PFN);
        // swapped back in, the page still holds its data: collapse copies it into the new THP
        Memory.handleMmFault(mm, BASE, false);
        assertThat(MadviseOps.doMadvise(mm, BASE, PMD_SIZE, Madvise.COLLAPSE)).isZero();
        long head = ptePfn(mm.pageTables().pmdLeaf(BASE).entry);
        assertThat(mm.frames().nonZero(head)).isTrue();
        assertThat(mm.frames().nonZero(head + 1)).isFalse();
    }

    @Test
    void pageoutLeavesATHPMappedByAnotherProcess() {
        Mm mm = mm("zero_page=off,thp=madvise");
        mm.frames().swap().enable();
        hugeMapping(mm, 2 * PMD_SIZE);
        Memory.handleMmFault(mm, BASE, true);
        Fork.dupMmap(mm);
        assertThat(MadviseOps.doMadvise(mm, BASE, PMD_SIZE, Madvise.PAGEOUT)).isZero();
        assertThat(mm.pageTables().pmdLeaf(BASE)).isNotNull();
    }
}
