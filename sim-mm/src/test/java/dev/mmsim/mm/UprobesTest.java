package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;

import org.junit.jupiter.api.Test;

/** Breakpoint pages: registration, uprobe_mmap() on mmap and split, none for writable or copy_vma merges. */
class UprobesTest {
    static final long BASE = 0x100000000000L;
    static final int FIXED = MapFlag.MAP_PRIVATE | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));
    MappedFile file = MappedFile.regular("f", 8 * PAGE_SIZE, mm.frames());

    long page(int n) {
        return BASE + n * PAGE_SIZE;
    }

    boolean breakpoint(Mm m, long addr) {
        long pte = m.pageTables().pte(addr);
        return PteBits.pteP(pte) && m.frames().isAnon(PteBits.ptePfn(pte)) && !PteBits.pteWrite(pte);
    }

    @Test
    void registrationAndMmapInstallOneAnonymousPage() {
        assertThat(Uprobes.register(mm, file, 9 * PAGE_SIZE)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Mmap.doMmap(mm, page(0), 8 * PAGE_SIZE, Prot.PROT_READ, FIXED, file, 0)).isZero();
        assertThat(Uprobes.register(mm, file, 2 * PAGE_SIZE + 7)).isZero();
        assertThat(breakpoint(mm, page(2))).isTrue();
        assertThat(mm.pageTables().pte(page(1))).isZero();
        assertThat(mm.vmaLookup(page(0)).anonVma()).isNotNull();
        assertThat(Mmap.doMmap(mm, page(10), 4 * PAGE_SIZE, Prot.PROT_EXEC, FIXED, file, 0)).isZero();
        assertThat(breakpoint(mm, page(12))).isTrue();
        // a writable private mapping is not a place for breakpoints
        assertThat(Mmap.doMmap(mm, page(20), 4 * PAGE_SIZE, Prot.PROT_READ | Prot.PROT_WRITE, FIXED, file, 0)).isZero();
        assertThat(mm.pageTables().pte(page(22))).isZero();
    }

    @Test
    void aSplitReinstallsAZappedBreakpointButNotInAForkedChild() {
        assertThat(Mmap.doMmap(mm, page(0), 8 * PAGE_SIZE, Prot.PROT_READ, FIXED, file, 0)).isZero();
        assertThat(Uprobes.register(mm, file, 3 * PAGE_SIZE)).isZero();
        Mm child = Fork.dupMmap(mm);
        assertThat(breakpoint(child, page(3))).isTrue();
        for (Mm m : new Mm[] {mm, child}) {
            assertThat(MadviseOps.doMadvise(m, page(3), PAGE_SIZE, Madvise.DONTNEED)).isZero();
            assertThat(Mprotect.doMprotect(m, page(6), PAGE_SIZE, Prot.PROT_READ | Prot.PROT_EXEC)).isZero();
        }
        assertThat(breakpoint(mm, page(3))).isTrue();
        assertThat(child.pageTables().pte(page(3))).isZero();
    }

    @Test
    void theBreakpointMovesWithMremapAndIsNotInstalledTwice() {
        assertThat(Mmap.doMmap(mm, page(1), 10 * PAGE_SIZE, Prot.PROT_EXEC, FIXED, file, 0)).isZero();
        assertThat(Uprobes.register(mm, file, 0)).isZero();
        long moved = Mremap.doMremap(mm, page(1), PAGE_SIZE, 2 * PAGE_SIZE, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, page(6));
        assertThat(moved).isEqualTo(page(6));
        assertThat(breakpoint(mm, page(6))).isTrue();
        long back = Mremap.doMremap(mm, page(6), PAGE_SIZE, PAGE_SIZE, Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, page(1));
        assertThat(back).isEqualTo(page(1));
        // merged with the VMA after it, with the moved breakpoint page and no other
        assertThat(mm.vmaLookup(page(1)).end()).isEqualTo(page(6));
        assertThat(breakpoint(mm, page(1))).isTrue();
        assertThat(mm.frames().anonFrames()).isEqualTo(1);
    }
}
