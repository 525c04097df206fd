package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;

import org.junit.jupiter.api.Test;

/** Split and merge through mmap, mprotect, munmap and guard installation. */
class VmaMergeTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    long page(int n) {
        return BASE + n * PAGE_SIZE;
    }

    @Test
    void adjacentCompatibleMappingsMerge() {
        Mmap.doMmap(mm, page(0), 2 * PAGE_SIZE, RW, ANON, null, 0);
        Mmap.doMmap(mm, page(2), 2 * PAGE_SIZE, RW, ANON, null, 0);
        assertThat(mm.vmas()).hasSize(1);
        assertThat(mm.validate()).isEmpty();
    }

    @Test
    void mprotectSplitsThenMergesBack() {
        Mmap.doMmap(mm, page(0), 10 * PAGE_SIZE, RW, ANON, null, 0);
        assertThat(Mprotect.doMprotect(mm, page(4), 2 * PAGE_SIZE, Prot.PROT_READ)).isZero();
        assertThat(mm.vmas()).hasSize(3);
        assertThat(Mprotect.doMprotect(mm, page(4), 2 * PAGE_SIZE, RW)).isZero();
        assertThat(mm.vmas()).hasSize(1);
        assertThat(mm.validate()).isEmpty();
    }

    @Test
    void munmapInTheMiddleSplits() {
        Mmap.doMmap(mm, page(0), 10 * PAGE_SIZE, RW, ANON, null, 0);
        assertThat(VmaMerge.doVmiMunmap(mm, page(3), PAGE_SIZE)).isZero();
        assertThat(mm.vmas()).extracting(Vma::start).containsExactly(page(0), page(4));
        assertThat(mm.vmas().get(1).pgoff()).isEqualTo(page(4) >>> PAGE_SHIFT);
    }

    @Test
    void maybeGuardIsStickyAcrossMerges() {
        Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, RW, ANON, null, 0);
        Mmap.doMmap(mm, page(4), 4 * PAGE_SIZE, Prot.PROT_READ, ANON, null, 0);
        assertThat(MadviseOps.doMadvise(mm, page(0), PAGE_SIZE, Madvise.GUARD_INSTALL)).isZero();
        assertThat(mm.vmaLookup(page(0)).has(VmFlag.VM_MAYBE_GUARD)).isTrue();
        assertThat(Mprotect.doMprotect(mm, page(4), 4 * PAGE_SIZE, RW)).isZero();
        assertThat(mm.vmas()).hasSize(1);
        assertThat(mm.vmas().get(0).has(VmFlag.VM_MAYBE_GUARD)).isTrue();
    }

    @Test
    void withoutStickyFlagsMaybeGuardPreventsTheMerge() {
        mm.semantics().set(Semantic.STICKY_FLAGS, false);
        Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, RW, ANON, null, 0);
        Mmap.doMmap(mm, page(4), 4 * PAGE_SIZE, Prot.PROT_READ, ANON, null, 0);
        MadviseOps.doMadvise(mm, page(0), PAGE_SIZE, Madvise.GUARD_INSTALL);
        Mprotect.doMprotect(mm, page(4), 4 * PAGE_SIZE, RW);
        assertThat(mm.vmas()).hasSize(2);
    }

    @Test
    void dontneedOfAWholePmdRangeFreesItsTable() {
        Mmap.doMmap(mm, BASE, 2 * PMD_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, BASE, true);
        Memory.handleMmFault(mm, BASE + PMD_SIZE, true);
        MadviseOps.doMadvise(mm, BASE + PAGE_SIZE, PAGE_SIZE, Madvise.DONTNEED);
        MadviseOps.doMadvise(mm, BASE + PMD_SIZE, PMD_SIZE, Madvise.DONTNEED);
        assertThat(mm.pageTables().pteTable(BASE)).isNotNull();
        assertThat(mm.pageTables().pteTable(BASE + PMD_SIZE)).isNull();
    }
}
