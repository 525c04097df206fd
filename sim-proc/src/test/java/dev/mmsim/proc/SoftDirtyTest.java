package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Soft-dirty tracking (SoftDirty) and clear_refs (ClearRefs), on a host with CONFIG_MEM_SOFT_DIRTY
 * and on one without, where nothing may carry a soft-dirty bit.
 */
class SoftDirtyTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final HostProfile SD_HOST = HostProfile.UPSTREAM.withSoftDirty(true);

    static Mm mm(boolean softDirty, boolean zeroPage) {
        HostProfile host = new HostProfile("test", zeroPage, "madvise", false, true, softDirty);
        return new Mm(Semantics.newest(host));
    }

    static long pte(Mm mm, long addr) {
        return mm.pageTables().pte(addr);
    }

    static boolean vmaSd(Mm mm, long addr) {
        return mm.vmaLookup(addr).has(VmFlag.VM_SOFTDIRTY);
    }

    @Test
    void aNewMappingIsSoftDirtyOnlyWhereConfigured() {
        Mm on = mm(true, false);
        Mm off = mm(false, false);
        for (Mm m : new Mm[] {on, off}) assertThat(Mmap.doMmap(m, BASE, 4 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(vmaSd(on, BASE)).isTrue();
        assertThat(vmaSd(off, BASE)).isFalse();
    }

    @Test
    void aWriteFaultSetsTheBitAndClearRefsClearsAndWriteProtects() {
        Mm mm = mm(true, false);
        Mmap.doMmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, true);
        assertThat(pteSoftDirty(pte(mm, BASE))).isTrue();
        assertThat(ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_SOFT_DIRTY)).isZero();
        assertThat(vmaSd(mm, BASE)).isFalse();
        long cleared = pte(mm, BASE);
        assertThat(pteSoftDirty(cleared)).isFalse();
        assertThat(pteWrite(cleared)).as("write-protected so the next write faults").isFalse();
        assertThat(pteDirty(cleared)).as("the dirty bit stays").isTrue();
        Memory.handleMmFault(mm, BASE, false);
        assertThat(pteSoftDirty(pte(mm, BASE))).as("a read does not set it").isFalse();
        Memory.handleMmFault(mm, BASE, true);
        assertThat(pteSoftDirty(pte(mm, BASE))).isTrue();
        assertThat(pteWrite(pte(mm, BASE))).isTrue();
    }

    @Test
    void theZeroPageIsNeverSoftDirtyButItsCopyIs() {
        Mm mm = mm(true, true);
        Mmap.doMmap(mm, BASE, PAGE_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, false);
        assertThat(pteSpecial(pte(mm, BASE))).isTrue();
        assertThat(pteSoftDirty(pte(mm, BASE))).isFalse();
        Memory.handleMmFault(mm, BASE, true);
        assertThat(pteSpecial(pte(mm, BASE))).isFalse();
        assertThat(pteSoftDirty(pte(mm, BASE))).isTrue();
    }

    @Test
    void withoutTheZeroPageAReadFaultMapsADirtyWritablePage() {
        // do_anonymous_page(): pte_mkwrite(pte_mkdirty()) in a writable VMA, read fault or not
        Mm mm = mm(true, false);
        Mmap.doMmap(mm, BASE, PAGE_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, false);
        assertThat(pteSoftDirty(pte(mm, BASE))).isTrue();
    }

    @Test
    void withoutConfigNoEntryOrVmaEverCarriesIt() {
        Mm mm = mm(false, false);
        mm.frames().swap().enable();
        Mmap.doMmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, true);
        Memory.handleMmFault(mm, BASE + PAGE_SIZE, true);
        MadviseOps.doMadvise(mm, BASE + PAGE_SIZE, PAGE_SIZE, Madvise.PAGEOUT);
        Mremap.doMremap(mm, BASE, 2 * PAGE_SIZE, 2 * PAGE_SIZE, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, BASE + 8 * PAGE_SIZE);
        long moved = BASE + 8 * PAGE_SIZE;
        assertThat(pteSoftDirty(pte(mm, moved))).isFalse();
        assertThat(pteSwpSoftDirty(pte(mm, moved + PAGE_SIZE))).isFalse();
        assertThat(vmaSd(mm, moved)).isFalse();
        // clear_refs 4 is accepted and changes nothing: the entry stays writable
        long before = pte(mm, moved);
        assertThat(ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_SOFT_DIRTY)).isZero();
        assertThat(pte(mm, moved)).isEqualTo(before);
        assertThat(pteWrite(before)).isTrue();
    }

    @Test
    void swapKeepsTheBitAndASwapInOfACleanEntryStaysWriteProtected() {
        Mm mm = mm(true, false);
        mm.frames().swap().enable();
        Mmap.doMmap(mm, BASE, 2 * PAGE_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, true);
        Memory.handleMmFault(mm, BASE + PAGE_SIZE, true);
        ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_SOFT_DIRTY);
        Memory.handleMmFault(mm, BASE + PAGE_SIZE, true);
        MadviseOps.doMadvise(mm, BASE, 2 * PAGE_SIZE, Madvise.PAGEOUT);
        assertThat(isSwapPte(pte(mm, BASE))).isTrue();
        assertThat(pteSwpSoftDirty(pte(mm, BASE))).isFalse();
        assertThat(pteSwpSoftDirty(pte(mm, BASE + PAGE_SIZE))).as("try_to_unmap_one() keeps it").isTrue();
        // swap-in for a read: the soft-dirty one comes back soft-dirty and writable, the clean one
        // soft-dirty-clean and read-only (pte_needs_soft_dirty_wp())
        Memory.handleMmFault(mm, BASE, false);
        Memory.handleMmFault(mm, BASE + PAGE_SIZE, false);
        assertThat(pteSoftDirty(pte(mm, BASE))).isFalse();
        assertThat(pteWrite(pte(mm, BASE))).isFalse();
        assertThat(pteSoftDirty(pte(mm, BASE + PAGE_SIZE))).isTrue();
        assertThat(pteWrite(pte(mm, BASE + PAGE_SIZE))).isTrue();
        Memory.handleMmFault(mm, BASE, true);
        assertThat(pteSoftDirty(pte(mm, BASE))).isTrue();
    }

    @Test
    void mremapMarksEntriesMovedOneByOneButNotAWholeTable() {
        Mm mm = mm(true, false);
        Mmap.doMmap(mm, BASE, PMD_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, true);
        Memory.handleMmFault(mm, BASE + PAGE_SIZE, true);
        ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_SOFT_DIRTY);
        // a move of two pages: move_ptes() entry by entry, both marked
        long dst = BASE + 4 * PMD_SIZE;
        Mremap.doMremap(mm, BASE, 2 * PAGE_SIZE, 2 * PAGE_SIZE, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, dst);
        assertThat(pteSoftDirty(pte(mm, dst))).isTrue();
        assertThat(pteSoftDirty(pte(mm, dst + PAGE_SIZE))).isTrue();
        assertThat(vmaSd(mm, dst)).as("copy_vma() keeps the cleared flag").isFalse();
        // a PMD-aligned move of a whole table: move_normal_pmd() leaves the entries as they were
        Mmap.doMmap(mm, BASE + 8 * PMD_SIZE, PMD_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE + 8 * PMD_SIZE, true);
        ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_SOFT_DIRTY);
        long dst2 = BASE + 12 * PMD_SIZE;
        Mremap.doMremap(mm, BASE + 8 * PMD_SIZE, PMD_SIZE, PMD_SIZE, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, dst2);
        assertThat(pteP(pte(mm, dst2))).isTrue();
        assertThat(pteSoftDirty(pte(mm, dst2))).isFalse();
    }

    @Test
    void growingInPlaceDoesNotMarkTheVmaButMmapMergingDoes() {
        Mm mm = mm(true, false);
        Mmap.doMmap(mm, BASE, PAGE_SIZE, RW, ANON, null, 0);
        ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_SOFT_DIRTY);
        Mremap.doMremap(mm, BASE, PAGE_SIZE, 2 * PAGE_SIZE, 0, 0);
        assertThat(mm.vmaLookup(BASE).end()).isEqualTo(BASE + 2 * PAGE_SIZE);
        assertThat(vmaSd(mm, BASE)).isFalse();
        // mmap next to it merges, and __mmap_complete() marks the whole merged VMA
        Mmap.doMmap(mm, BASE + 2 * PAGE_SIZE, PAGE_SIZE, RW, ANON, null, 0);
        assertThat(mm.vmaLookup(BASE).end()).isEqualTo(BASE + 3 * PAGE_SIZE);
        assertThat(vmaSd(mm, BASE)).isTrue();
    }

    @Test
    void forkCopiesTheBitsAndTheFlag() {
        Mm mm = mm(true, false);
        Mmap.doMmap(mm, BASE, 2 * PAGE_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, true);
        Mm child = Fork.dupMmap(mm);
        assertThat(vmaSd(child, BASE)).isTrue();
        assertThat(pteSoftDirty(pte(child, BASE))).isTrue();
        ClearRefs.clearRefsWrite(child, ClearRefs.CLEAR_REFS_SOFT_DIRTY);
        assertThat(pteSoftDirty(pte(child, BASE))).isFalse();
        assertThat(pteSoftDirty(pte(mm, BASE))).as("the parent's own entry").isTrue();
        assertThat(vmaSd(mm, BASE)).isTrue();
    }

    @Test
    void stickyMergeKeepsTheFlagAndBeforeStickyFlagsItIsOnlyIgnored() {
        Mm mm = mm(true, false);
        Mmap.doMmap(mm, BASE, PAGE_SIZE, RW, ANON, null, 0);
        ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_SOFT_DIRTY);
        Mmap.doMmap(mm, BASE + PAGE_SIZE, PAGE_SIZE, RW | Prot.PROT_EXEC, ANON, null, 0);
        Mprotect.doMprotect(mm, BASE, PAGE_SIZE, RW | Prot.PROT_EXEC);
        assertThat(mm.vmaLookup(BASE).end()).isEqualTo(BASE + 2 * PAGE_SIZE);
        assertThat(vmaSd(mm, BASE)).isTrue();

        Mm old = mm(true, false);
        old.semantics().set(dev.mmsim.core.Semantic.STICKY_FLAGS, false);
        Mmap.doMmap(old, BASE, PAGE_SIZE, RW, ANON, null, 0);
        ClearRefs.clearRefsWrite(old, ClearRefs.CLEAR_REFS_SOFT_DIRTY);
        Mmap.doMmap(old, BASE + PAGE_SIZE, PAGE_SIZE, RW | Prot.PROT_EXEC, ANON, null, 0);
        Mprotect.doMprotect(old, BASE, PAGE_SIZE, RW | Prot.PROT_EXEC);
        assertThat(old.vmaLookup(BASE).end()).as("VM_SOFTDIRTY does not prevent the merge").isEqualTo(BASE + 2 * PAGE_SIZE);
    }

    @Test
    void uffdWpAndSoftDirtyAreIndependentBitsAndAnAsyncResolutionIsAWrite() {
        Mm mm = mm(true, false);
        Mmap.doMmap(mm, BASE, 2 * PAGE_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, true);
        assertThat(Userfaultfd.register(mm, BASE, 2 * PAGE_SIZE, Userfaultfd.MODE_WP,
                UffdCtx.UFFD_FEATURE_WP_ASYNC | UffdCtx.UFFD_FEATURE_WP_UNPOPULATED)).isZero();
        assertThat(Userfaultfd.writeprotect(mm, BASE, 2 * PAGE_SIZE, true)).isZero();
        // write-protecting keeps the soft-dirty bit; clear_refs keeps the uffd-wp bit
        assertThat(pteSoftDirty(pte(mm, BASE))).isTrue();
        ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_SOFT_DIRTY);
        assertThat(pteUffdWp(pte(mm, BASE))).isTrue();
        assertThat(pteSoftDirty(pte(mm, BASE))).isFalse();
        // the async fault drops the uffd-wp bit and goes on as a write fault: soft-dirty again
        Memory.handleMmFault(mm, BASE, true);
        assertThat(pteUffdWp(pte(mm, BASE))).isFalse();
        assertThat(pteSoftDirty(pte(mm, BASE))).isTrue();
        // a write over a uffd-wp marker (WP_UNPOPULATED) maps a page and resolves it: soft-dirty too
        Memory.handleMmFault(mm, BASE + PAGE_SIZE, true);
        assertThat(pteSoftDirty(pte(mm, BASE + PAGE_SIZE))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 6, 7, Integer.MAX_VALUE})
    void clearRefsRejectsValuesOutsideOneToFive(int value) {
        assertThat(ClearRefs.clearRefsWrite(mm(true, false), value)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void clearRefsOneToThreeClearAccessedBitsOfTheirVmasOnly() {
        Mm mm = mm(true, false);
        MappedFile f = MappedFile.regular("f", 4 * PAGE_SIZE, mm.frames());
        Mmap.doMmap(mm, BASE, PAGE_SIZE, RW, ANON, null, 0);
        Mmap.doMmap(mm, BASE + 2 * PAGE_SIZE, PAGE_SIZE, RW, MapFlag.MAP_SHARED | MapFlag.MAP_FIXED_NOREPLACE, f, 0);
        Memory.handleMmFault(mm, BASE, true);
        Memory.handleMmFault(mm, BASE + 2 * PAGE_SIZE, true);
        long anon = pte(mm, BASE);
        long file = pte(mm, BASE + 2 * PAGE_SIZE);
        assertThat(ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_MAPPED)).isZero();
        assertThat(pte(mm, BASE)).isEqualTo(anon);
        assertThat(pte(mm, BASE + 2 * PAGE_SIZE)).isEqualTo(file & ~_PAGE_ACCESSED);
        assertThat(ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_ANON)).isZero();
        assertThat(pte(mm, BASE)).isEqualTo(anon & ~_PAGE_ACCESSED);
        // neither touches soft-dirty state, nor does 5
        assertThat(ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_MM_HIWATER_RSS)).isZero();
        assertThat(ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_ALL)).isZero();
        assertThat(pteSoftDirty(pte(mm, BASE))).isTrue();
        assertThat(vmaSd(mm, BASE)).isTrue();
        assertThat(pteWrite(pte(mm, BASE))).isTrue();
    }

    @Test
    void clearRefsClearsASwapEntrysBitAndAMarkerMovedByMremapGetsOne() {
        Mm mm = mm(true, false);
        mm.frames().swap().enable();
        Mmap.doMmap(mm, BASE, 2 * PAGE_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, true);
        MadviseOps.doMadvise(mm, BASE, PAGE_SIZE, Madvise.PAGEOUT);
        assertThat(pteSwpSoftDirty(pte(mm, BASE))).isTrue();
        ClearRefs.clearRefsWrite(mm, ClearRefs.CLEAR_REFS_SOFT_DIRTY);
        assertThat(pteSwpSoftDirty(pte(mm, BASE))).isFalse();
        assertThat(isSwapPte(pte(mm, BASE))).isTrue();
        MadviseOps.doMadvise(mm, BASE + PAGE_SIZE, PAGE_SIZE, Madvise.GUARD_INSTALL);
        long dst = BASE + 16 * PAGE_SIZE;
        Mremap.doMremap(mm, BASE, 2 * PAGE_SIZE, 2 * PAGE_SIZE, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, dst);
        assertThat(pteSwpSoftDirty(pte(mm, dst))).isTrue();
        assertThat(isGuardMarker(pte(mm, dst + PAGE_SIZE))).isTrue();
        assertThat(pteSwpSoftDirty(pte(mm, dst + PAGE_SIZE))).isTrue();
    }
}
