package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;

import org.junit.jupiter.api.Test;

/** The checker finds what it looks for, and accepts what the operations leave behind. */
class MmInvariantsTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final long FLAGS = VmFlag.of(VmFlag.VM_READ, VmFlag.VM_WRITE, VmFlag.VM_MAYREAD, VmFlag.VM_MAYWRITE,
            VmFlag.VM_MAYEXEC);

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    static long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    /** An anonymous VMA of [first, last) pages, put straight into the tree, merging nothing. */
    Vma insert(long first, long last, long flags) {
        Vma v = new Vma(page(first), page(last), flags, page(first) >>> PAGE_SHIFT, null);
        mm.insert(v);
        return v;
    }

    @Test
    void mappingsTheOperationsMergedAreConsistent() {
        Mmap.doMmap(mm, page(0), 2 * PAGE_SIZE, RW, ANON, null, 0);
        Mmap.doMmap(mm, page(2), 2 * PAGE_SIZE, RW, ANON, null, 0);
        Memory.handleMmFault(mm, page(1), true);
        assertThat(MmInvariants.violations(mm)).isEmpty();
    }

    @Test
    void compatibleNeighboursLeftApartAreReported() {
        insert(0, 2, FLAGS);
        insert(2, 4, FLAGS);
        assertThat(MmInvariants.unmergedNeighbours(mm)).singleElement().asString().startsWith("unmerged neighbours");
    }

    @Test
    void neighboursWithOtherFlagsOrAnonVmasOrAGapAreNotReported() {
        long readOnly = FLAGS & ~VmFlag.VM_WRITE.mask();
        insert(0, 2, FLAGS);
        insert(2, 4, readOnly);
        insert(4, 6, readOnly | VmFlag.VM_EXEC.mask()).setAnonVma(new AnonVma(), false);
        insert(6, 8, readOnly | VmFlag.VM_EXEC.mask()).setAnonVma(new AnonVma(), false);
        insert(9, 10, readOnly | VmFlag.VM_EXEC.mask());
        assertThat(MmInvariants.unmergedNeighbours(mm)).isEmpty();
    }

    @Test
    void aForkedAnonVmaDoesNotMergeWithNone() {
        Vma child = insert(0, 2, FLAGS);
        child.setAnonVma(new AnonVma(), true);
        insert(2, 4, FLAGS);
        assertThat(MmInvariants.unmergedNeighbours(mm)).isEmpty();
    }

    @Test
    void maybeGuardAloneKeepsNeighboursApartOnlyWithoutStickyFlags() {
        insert(0, 2, FLAGS | VmFlag.VM_MAYBE_GUARD.mask());
        insert(2, 4, FLAGS);
        assertThat(MmInvariants.unmergedNeighbours(mm)).hasSize(1);
        mm.semantics().set(Semantic.STICKY_FLAGS, false);
        assertThat(MmInvariants.unmergedNeighbours(mm)).isEmpty();
    }

    @Test
    void anEntryOutsideEveryVmaIsReported() {
        insert(0, 2, FLAGS);
        mm.pageTables().setPte(page(1), PteBits.mkMarker(PteBits.PTE_MARKER_GUARD));
        assertThat(MmInvariants.entriesOutsideVmas(mm)).isEmpty();
        mm.pageTables().setPte(page(5), PteBits.mkMarker(PteBits.PTE_MARKER_GUARD));
        assertThat(MmInvariants.entriesOutsideVmas(mm)).singleElement().asString()
                .contains(Long.toHexString(page(5)));
    }
}
