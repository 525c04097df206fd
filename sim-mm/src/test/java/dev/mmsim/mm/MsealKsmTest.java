package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;

import org.junit.jupiter.api.Test;

/** mseal(): arguments, the EPERM of each operation, merging of sealed VMAs; KSM's VM_MERGEABLE. */
class MsealKsmTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final int EPERM = Errno.EPERM.neg();

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    long page(int n) {
        return BASE + n * PAGE_SIZE;
    }

    @Test
    void argumentsAndHoles() {
        Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, RW, ANON, null, 0);
        assertThat(Mseal.doMseal(mm, page(0) + 1, PAGE_SIZE, 0)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Mseal.doMseal(mm, page(0), PAGE_SIZE, 1)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Mseal.doMseal(mm, page(0), -2 * PAGE_SIZE, 0)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Mseal.doMseal(mm, page(0), 0, 0)).isZero();
        assertThat(Mseal.doMseal(mm, page(2), 4 * PAGE_SIZE, 0)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(mm.vmas()).hasSize(1);
        assertThat(mm.vmas().get(0).has(VmFlag.VM_SEALED)).isFalse();
    }

    @Test
    void aSealedVmaRefusesChangesAndMergesOnlyWithSealedOnes() {
        Mmap.doMmap(mm, page(0), 10 * PAGE_SIZE, RW, ANON, null, 0);
        assertThat(Mseal.doMseal(mm, page(4), 2 * PAGE_SIZE, 0)).isZero();
        assertThat(mm.vmas()).extracting(Vma::start).containsExactly(page(0), page(4), page(6));
        assertThat(Mprotect.doMprotect(mm, page(4), PAGE_SIZE, RW)).isEqualTo(EPERM);
        assertThat(VmaMerge.doVmiMunmap(mm, page(2), 3 * PAGE_SIZE)).isEqualTo(EPERM);
        // munmap split the first VMA before it met the sealed one
        assertThat(mm.vmas()).extracting(Vma::start).containsExactly(page(0), page(2), page(4), page(6));
        assertThat(Mremap.doMremap(mm, page(4), PAGE_SIZE, PAGE_SIZE, 0, 0)).isEqualTo(EPERM);
        assertThat(Mmap.doMmap(mm, page(5), PAGE_SIZE, RW, MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS
                | MapFlag.MAP_FIXED, null, 0)).isEqualTo(EPERM);
        assertThat(MadviseOps.doMadvise(mm, page(4), PAGE_SIZE, Madvise.DONTNEED)).isZero();
        // sealing the neighbours merges them with the sealed VMA
        assertThat(Mseal.doMseal(mm, page(0), 10 * PAGE_SIZE, 0)).isZero();
        assertThat(mm.vmas()).hasSize(1);
        assertThat(mm.vmas().get(0).has(VmFlag.VM_SEALED)).isTrue();
    }

    @Test
    void discardingAReadOnlySealedAnonymousVmaFails() {
        Mmap.doMmap(mm, page(0), 2 * PAGE_SIZE, Prot.PROT_READ, ANON, null, 0);
        assertThat(Mseal.doMseal(mm, page(0), 2 * PAGE_SIZE, 0)).isZero();
        assertThat(MadviseOps.doMadvise(mm, page(0), PAGE_SIZE, Madvise.DONTNEED)).isEqualTo(EPERM);
        assertThat(MadviseOps.doMadvise(mm, page(0), PAGE_SIZE, Madvise.GUARD_INSTALL)).isEqualTo(EPERM);
        assertThat(MadviseOps.doMadvise(mm, page(0), PAGE_SIZE, Madvise.RANDOM)).isZero();
        assertThat(Mlock.doMlock(mm, page(0), PAGE_SIZE)).isZero();
    }

    @Test
    void memoryMergeMarksExistingAndNewPrivateVmas() {
        Mmap.doMmap(mm, page(0), PAGE_SIZE, RW, ANON, null, 0);
        Mmap.doMmap(mm, page(4), PAGE_SIZE, RW, MapFlag.MAP_SHARED | MapFlag.MAP_ANONYMOUS
                | MapFlag.MAP_FIXED_NOREPLACE, null, 0);
        assertThat(Ksm.prctlSetMemoryMerge(mm, 1)).isZero();
        assertThat(mm.vmaLookup(page(0)).has(VmFlag.VM_MERGEABLE)).isTrue();
        assertThat(mm.vmaLookup(page(4)).has(VmFlag.VM_MERGEABLE)).isFalse();
        // a new neighbour is mergeable from the start, so it merges
        Mmap.doMmap(mm, page(1), PAGE_SIZE, RW, ANON, null, 0);
        assertThat(mm.vmaLookup(page(1)).start()).isEqualTo(page(0));
        assertThat(Fork.dupMmap(mm).mergeAny()).isTrue();
        assertThat(MadviseOps.doMadvise(mm, page(0), PAGE_SIZE, Madvise.UNMERGEABLE)).isZero();
        assertThat(mm.vmaLookup(page(0)).has(VmFlag.VM_MERGEABLE)).isFalse();
        assertThat(Ksm.prctlSetMemoryMerge(mm, 0)).isZero();
        // cleared in place: the two halves stay apart
        assertThat(mm.vmas()).extracting(Vma::start).containsExactly(page(0), page(1), page(4));
        assertThat(mm.vmaLookup(page(1)).has(VmFlag.VM_MERGEABLE)).isFalse();
        assertThat(MadviseOps.doMadvise(mm, page(4), PAGE_SIZE, Madvise.MERGEABLE)).isZero();
        assertThat(mm.vmaLookup(page(4)).has(VmFlag.VM_MERGEABLE)).isFalse();
    }
}
