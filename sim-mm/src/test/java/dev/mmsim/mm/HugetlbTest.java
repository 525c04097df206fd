package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hugetlb rules of mm/hugetlb.c as the model applies them, each checked on its own. */
class HugetlbTest {
    static final long BASE = 0x100000000000L;
    static final long H = Hugetlb.HPAGE_SIZE;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int PRIVATE = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_HUGETLB | MapFlag.MAP_FIXED_NOREPLACE;
    static final int SHARED = MapFlag.MAP_SHARED | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_HUGETLB | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm;
    HugetlbPool pool;

    @BeforeEach
    void setUp() {
        mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));
        pool = mm.frames().hugetlb();
        pool.setNrHugePages(4);
    }

    private int mmap(long addr, long len, int flags) {
        return Mmap.doMmap(mm, addr, len, RW, flags, null, 0);
    }

    private PmdLeaf leaf(Mm m, long addr) {
        return m.pageTables().pmdLeaf(addr);
    }

    @Test
    void mmapRoundsTheLengthToHugePagesAndMarksTheVma() {
        assertThat(mmap(BASE, PAGE_SIZE, PRIVATE)).isZero();
        Vma vma = mm.vmaLookup(BASE);
        assertThat(vma.end() - vma.start()).isEqualTo(H);
        assertThat(vma.has(VmFlag.VM_HUGETLB)).isTrue();
        assertThat(vma.has(VmFlag.VM_DONTEXPAND)).isTrue();
        assertThat(vma.has(VmFlag.VM_ACCOUNT)).as("hugetlb is not accounted").isFalse();
        assertThat(vma.file()).as("an anonymous hugetlb mapping has a hugetlbfs file").isNotNull();
        assertThat(pool.resvHugePages()).isEqualTo(1);
    }

    @Test
    void anUnalignedAddressOrAFileIsRefused() {
        assertThat(mmap(BASE + PAGE_SIZE, H, PRIVATE)).isEqualTo(Errno.EINVAL.neg());
        MappedFile f = MappedFile.regular("f", H, mm.frames());
        int fileFlags = MapFlag.MAP_SHARED | MapFlag.MAP_HUGETLB | MapFlag.MAP_FIXED_NOREPLACE;
        assertThat(Mmap.doMmap(mm, BASE, H, RW, fileFlags, f, 0)).isEqualTo(Errno.EINVAL.neg());
        assertThat(mm.vmas()).isEmpty();
    }

    @Test
    void aReservationLargerThanThePoolFailsWithEnomem() {
        assertThat(mmap(BASE, 5 * H, PRIVATE)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(mm.vmas()).isEmpty();
        assertThat(mmap(BASE, 3 * H, SHARED)).isZero();
        assertThat(mmap(BASE + 4 * H, 2 * H, PRIVATE)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(mmap(BASE + 4 * H, 2 * H, PRIVATE | MapFlag.MAP_NORESERVE)).as("noreserve reserves nothing").isZero();
        assertThat(mm.vmaLookup(BASE + 4 * H).has(VmFlag.VM_NORESERVE)).isTrue();
        assertThat(Memory.handleMmFault(mm, BASE + 4 * H, true)).isEqualTo(Memory.FaultResult.OK);
        assertThat(Memory.handleMmFault(mm, BASE + 5 * H, true))
                .as("no free page nobody reserved").isEqualTo(Memory.FaultResult.SIGBUS);
    }

    @Test
    void aReadFaultMapsAWholeReadOnlyHugePageThatAWriteReuses() {
        mmap(BASE, 2 * H, PRIVATE);
        assertThat(Memory.handleMmFault(mm, BASE + 5 * PAGE_SIZE, false)).isEqualTo(Memory.FaultResult.OK);
        PmdLeaf l = leaf(mm, BASE);
        assertThat(PteBits.pteP(l.entry)).isTrue();
        assertThat(l.entry & PteBits._PAGE_PSE).isNotZero();
        assertThat(PteBits.pteWrite(l.entry)).as("private read fault: read-only").isFalse();
        long pfn = PteBits.ptePfn(l.entry);
        assertThat(mm.frames().kind(pfn)).isEqualTo(FrameTable.HUGETLB_ANON);
        assertThat(leaf(mm, BASE + H)).as("one huge page per fault").isNull();
        assertThat(Memory.handleMmFault(mm, BASE + H - 1, true)).isEqualTo(Memory.FaultResult.OK);
        assertThat(PteBits.pteWrite(leaf(mm, BASE).entry)).isTrue();
        assertThat(PteBits.ptePfn(leaf(mm, BASE).entry)).as("reused, not copied").isEqualTo(pfn);
        assertThat(pool.freeHugePages()).isEqualTo(3);
        assertThat(pool.resvHugePages()).isEqualTo(1);
    }

    @Test
    void sharedPagesLiveInTheInodeCache() {
        mmap(BASE, H, SHARED);
        Memory.handleMmFault(mm, BASE, false);
        long pfn = PteBits.ptePfn(leaf(mm, BASE).entry);
        assertThat(mm.frames().kind(pfn)).isEqualTo(FrameTable.HUGETLB_FILE);
        assertThat(MadviseOps.doMadvise(mm, BASE, H, Madvise.DONTNEED)).isZero();
        assertThat(leaf(mm, BASE)).isNull();
        Memory.handleMmFault(mm, BASE, false);
        assertThat(PteBits.ptePfn(leaf(mm, BASE).entry)).as("the same page from the cache").isEqualTo(pfn);
        assertThat(VmaMerge.doVmiMunmap(mm, BASE, H)).isZero();
        assertThat(pool.freeHugePages()).as("the inode died with its last mapping").isEqualTo(4);
        assertThat(pool.resvHugePages()).isZero();
    }

    @Test
    void splitsInsideAHugePageFailWithEinvalAndAnEarlierSplitStays() {
        mmap(BASE, 4 * H, PRIVATE);
        assertThat(VmaMerge.doVmiMunmap(mm, BASE, PAGE_SIZE)).isEqualTo(Errno.EINVAL.neg());
        assertThat(VmaMerge.doVmiMunmap(mm, BASE + H, H + PAGE_SIZE)).isEqualTo(Errno.EINVAL.neg());
        assertThat(mm.vmas()).extracting(Vma::start).containsExactly(BASE, BASE + H);
        assertThat(Mprotect.doMprotect(mm, BASE + 2 * H, PAGE_SIZE, Prot.PROT_READ)).isEqualTo(Errno.EINVAL.neg());
        assertThat(MadviseOps.doMadvise(mm, BASE + 3 * H, PAGE_SIZE, Madvise.DONTDUMP)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Mprotect.doMprotect(mm, BASE + 3 * H, H, Prot.PROT_READ)).isZero();
        assertThat(VmaMerge.doVmiMunmap(mm, BASE + H, H)).isZero();
    }

    @Test
    void dontneedNeedsAnAlignedStartAndRoundsTheEndDown() {
        mmap(BASE, 2 * H, PRIVATE);
        Memory.mmPopulate(mm, BASE, BASE + 2 * H);
        assertThat(MadviseOps.doMadvise(mm, BASE + PAGE_SIZE, PAGE_SIZE, Madvise.DONTNEED)).isEqualTo(Errno.EINVAL.neg());
        assertThat(MadviseOps.doMadvise(mm, BASE, H + PAGE_SIZE, Madvise.DONTNEED)).isZero();
        assertThat(leaf(mm, BASE)).isNull();
        assertThat(leaf(mm, BASE + H)).as("rounded down: the second page stays").isNotNull();
        assertThat(mm.pageTables().pmdTable(BASE)).as("the PMD table stays").isNotNull();
        assertThat(pool.resvHugePages()).as("an owner's zapped page gives its reservation back").isEqualTo(1);
        assertThat(MadviseOps.doMadvise(mm, BASE, H, Madvise.FREE)).isEqualTo(Errno.EINVAL.neg());
        assertThat(MadviseOps.doMadvise(mm, BASE, H, Madvise.GUARD_INSTALL)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void forkSharesPrivatePagesUntilAWriteCopiesThem() {
        mmap(BASE, H, PRIVATE);
        Memory.handleMmFault(mm, BASE, true);
        long pfn = PteBits.ptePfn(leaf(mm, BASE).entry);
        Mm child = Fork.dupMmap(mm);
        assertThat(mm.frames().mapcount(pfn)).isEqualTo(2);
        assertThat(PteBits.pteWrite(leaf(mm, BASE).entry)).isFalse();
        assertThat(PteBits.pteWrite(leaf(child, BASE).entry)).isFalse();
        assertThat(child.vmaLookup(BASE).hugetlbResv()).as("the child owns no reservation").isNull();
        assertThat(Memory.handleMmFault(child, BASE, true)).isEqualTo(Memory.FaultResult.OK);
        assertThat(PteBits.ptePfn(leaf(child, BASE).entry)).isNotEqualTo(pfn);
        assertThat(mm.frames().mapcount(pfn)).isEqualTo(1);
        assertThat(Memory.handleMmFault(mm, BASE, true)).isEqualTo(Memory.FaultResult.OK);
        assertThat(PteBits.ptePfn(leaf(mm, BASE).entry)).as("the parent reuses its page").isEqualTo(pfn);
    }

    @Test
    void forkDoesNotCopyASharedMappingWithoutAnonVma() {
        mmap(BASE, H, SHARED);
        Memory.handleMmFault(mm, BASE, true);
        Mm child = Fork.dupMmap(mm);
        assertThat(leaf(child, BASE)).isNull();
        assertThat(Memory.handleMmFault(child, BASE, false)).isEqualTo(Memory.FaultResult.OK);
        assertThat(PteBits.ptePfn(leaf(child, BASE).entry)).isEqualTo(PteBits.ptePfn(leaf(mm, BASE).entry));
    }

    @Test
    void theWalkerCallsHugetlbEntryPerHugePageAndPteHoleWithoutAPmdTable() {
        mmap(BASE, 3 * H, PRIVATE);
        List<String> calls = new ArrayList<>();
        MmWalkOps ops = MmWalkOps.builder()
                .pteHole((a, n, depth, w) -> { calls.add("hole " + (a - BASE) / PAGE_SIZE + ".." + (n - BASE) / PAGE_SIZE + " " + depth); return 0; })
                .hugetlbEntry((t, i, hmask, a, n, w) -> {
                    calls.add("hugetlb " + (a - BASE) / PAGE_SIZE + ".." + (n - BASE) / PAGE_SIZE + (t[i] == null ? " none" : " leaf"));
                    return 0;
                })
                .pmdEntry((t, i, a, n, w) -> { calls.add("pmd"); return 0; })
                .build();
        PageWalk.walkPageRange(mm, BASE, BASE + 3 * H, ops, null);
        assertThat(calls).containsExactly("hole 0..512 -1", "hole 512..1024 -1", "hole 1024..1536 -1");
        calls.clear();
        Memory.handleMmFault(mm, BASE + H, false);
        PageWalk.walkPageRange(mm, BASE + 4 * PAGE_SIZE, BASE + 2 * H + PAGE_SIZE, ops, null);
        assertThat(calls).containsExactly("hugetlb 4..512 none", "hugetlb 512..1024 leaf", "hugetlb 1024..1025 none");
    }

    @Test
    void aWalkWithoutHugetlbEntrySkipsTheVmaAndInstallPteIsRefused() {
        mmap(BASE, H, PRIVATE);
        Memory.handleMmFault(mm, BASE, false);
        List<Long> seen = new ArrayList<>();
        MmWalkOps noHugetlb = MmWalkOps.builder().pteHole((a, n, d, w) -> { seen.add(a); return 0; }).build();
        assertThat(PageWalk.walkPageRange(mm, BASE, BASE + H, noHugetlb, null)).isZero();
        assertThat(seen).isEmpty();
        MmWalkOps install = MmWalkOps.builder().installPte((a, n, w) -> 0).build();
        assertThat(PageWalk.walkPageRange(mm, BASE, BASE + H, install, null)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void mremapMayShrinkButNotGrowAndNeedsAlignedAddresses() {
        mmap(BASE, 2 * H, PRIVATE);
        assertThat(Mremap.doMremap(mm, BASE, H, 2 * H, Mremap.MREMAP_MAYMOVE, 0)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Mremap.doMremap(mm, BASE + PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, 0, 0)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Mremap.doMremap(mm, BASE, 2 * H, H + PAGE_SIZE, 0, 0)).as("rounded up: unchanged").isEqualTo(BASE);
        assertThat(mm.vmaLookup(BASE).end()).isEqualTo(BASE + 2 * H);
        assertThat(Mremap.doMremap(mm, BASE, 2 * H, H, 0, 0)).isEqualTo(BASE);
        assertThat(mm.vmaLookup(BASE).end()).isEqualTo(BASE + H);
        assertThat(pool.resvHugePages()).isEqualTo(1);
    }

    @Test
    void mlockPopulatesWithoutLockingAndMprotectWriteProtects() {
        mmap(BASE, 2 * H, PRIVATE);
        assertThat(Mlock.doMlock(mm, BASE, PAGE_SIZE)).isZero();
        assertThat(mm.vmaLookup(BASE).has(VmFlag.VM_LOCKED)).isFalse();
        assertThat(PteBits.pteWrite(leaf(mm, BASE).entry)).as("populated for writing").isTrue();
        assertThat(leaf(mm, BASE + H)).isNull();
        assertThat(Mprotect.doMprotect(mm, BASE, 2 * H, Prot.PROT_READ)).isZero();
        assertThat(PteBits.pteWrite(leaf(mm, BASE).entry)).isFalse();
    }

    @Test
    void theOwnersCopyOnWriteWithAnExhaustedPoolTakesThePageFromTheChild() {
        pool.setNrHugePages(2);
        mmap(BASE, 2 * H, PRIVATE);
        Memory.mmPopulate(mm, BASE, BASE + 2 * H);
        Mm child = Fork.dupMmap(mm);
        assertThat(pool.available()).isZero();
        assertThat(Memory.handleMmFault(child, BASE, true))
                .as("a child owns no reservation: no page, SIGBUS").isEqualTo(Memory.FaultResult.SIGBUS);
        long pfn = PteBits.ptePfn(leaf(mm, BASE).entry);
        assertThat(Memory.handleMmFault(mm, BASE, true)).isEqualTo(Memory.FaultResult.OK);
        assertThat(PteBits.ptePfn(leaf(mm, BASE).entry)).as("the owner reuses the page").isEqualTo(pfn);
        assertThat(leaf(child, BASE)).as("taken from the child").isNull();
        assertThat(child.vmaLookup(BASE).hugetlbResvUnmapped()).isTrue();
        assertThat(Memory.handleMmFault(child, BASE, false)).isEqualTo(Memory.FaultResult.SIGBUS);
        assertThat(Memory.handleMmFault(child, BASE + H, false)).as("a page it still maps").isEqualTo(Memory.FaultResult.OK);
    }

    @Test
    void uffdWriteProtectionPutsMarkersInEmptyHugePagesAndAWriteResolvesIt() {
        mmap(BASE, 2 * H, PRIVATE);
        long async = UffdCtx.UFFD_FEATURE_WP_ASYNC | UffdCtx.UFFD_FEATURE_WP_UNPOPULATED;
        assertThat(Userfaultfd.register(mm, BASE + PAGE_SIZE, H, Userfaultfd.MODE_WP, async)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Userfaultfd.register(mm, BASE, 2 * H, Userfaultfd.MODE_WP, async)).isZero();
        Memory.handleMmFault(mm, BASE + H, true);
        assertThat(Userfaultfd.writeprotect(mm, BASE, 2 * H, true)).isZero();
        assertThat(PteBits.isUffdWpMarker(leaf(mm, BASE).entry)).isTrue();
        assertThat(PteBits.pteUffdWp(leaf(mm, BASE + H).entry)).isTrue();
        Memory.handleMmFault(mm, BASE, false);
        assertThat(PteBits.pteP(leaf(mm, BASE).entry) && PteBits.pteUffdWp(leaf(mm, BASE).entry))
                .as("a read keeps the protection").isTrue();
        Memory.handleMmFault(mm, BASE + H, true);
        assertThat(PteBits.pteUffdWp(leaf(mm, BASE + H).entry)).as("a write resolves it").isFalse();
        assertThat(PteBits.pteWrite(leaf(mm, BASE + H).entry)).isTrue();
        assertThat(Userfaultfd.unregister(mm, BASE, 2 * H)).isZero();
        assertThat(PteBits.pteUffdWp(leaf(mm, BASE).entry)).isFalse();
    }

    @Test
    void aMoveTakesTheHugePagesAndTheReservationAlong() {
        mmap(BASE, 2 * H, PRIVATE);
        Memory.handleMmFault(mm, BASE, true);
        long pfn = PteBits.ptePfn(leaf(mm, BASE).entry);
        long to = BASE + 16 * H;
        assertThat(Mremap.doMremap(mm, BASE, 2 * H, 2 * H, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, to)).isEqualTo(to);
        assertThat(leaf(mm, BASE)).isNull();
        assertThat(PteBits.ptePfn(leaf(mm, to).entry)).isEqualTo(pfn);
        assertThat(leaf(mm, to + H)).isNull();
        assertThat(pool.resvHugePages()).as("the untouched page is still reserved").isEqualTo(1);
        assertThat(Mremap.doMremap(mm, to, 2 * H, 2 * H, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, BASE + PAGE_SIZE))
                .isEqualTo(Errno.EINVAL.neg());
    }
}
