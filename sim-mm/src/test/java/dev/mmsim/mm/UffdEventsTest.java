package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;

import org.junit.jupiter.api.Test;

/**
 * UFFD_FEATURE_EVENT_FORK (dup_userfaultfd(), vma_needs_copy(), copy_present_pte()) and
 * UFFD_FEATURE_EVENT_REMAP (mremap_userfaultfd_prep()), as measured on 6.18 (corpus
 * uffd/fork-event.scn, uffd/remap-event.scn).
 */
class UffdEventsTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final long ASYNC = UffdCtx.UFFD_FEATURE_WP_ASYNC | UffdCtx.UFFD_FEATURE_WP_UNPOPULATED;

    Mm mm = new Mm(Semantics.newest(HostProfile.parse("zero_page=off,thp=madvise")));

    Mm registeredAndForked(long features) {
        assertThat(Mmap.doMmap(mm, BASE, 8 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        for (int i = 0; i < 4; i++) Memory.handleMmFault(mm, BASE + i * PAGE_SIZE, true);
        assertThat(Userfaultfd.register(mm, BASE, 8 * PAGE_SIZE, Userfaultfd.MODE_WP, ASYNC | features)).isZero();
        assertThat(Userfaultfd.writeprotect(mm, BASE, 8 * PAGE_SIZE, true)).isZero();
        return Fork.dupMmap(mm);
    }

    @Test
    void withEventForkTheChildKeepsItsRegistrationBitsAndMarkers() {
        Mm child = registeredAndForked(UffdCtx.UFFD_FEATURE_EVENT_FORK);
        Vma v = child.vmaLookup(BASE);
        assertThat(v.has(VmFlag.VM_UFFD_WP)).isTrue();
        assertThat(v.uffdCtx()).isNotNull().isNotSameAs(mm.uffd());
        assertThat(PteBits.pteUffdWp(child.pageTables().pte(BASE))).isTrue();
        assertThat(PteBits.isPteMarker(child.pageTables().pte(BASE + 5 * PAGE_SIZE))).isTrue();
        // closing the parent's userfaultfd closes the child's, which its reader held
        assertThat(Userfaultfd.close(mm)).isZero();
        assertThat(child.vmaLookup(BASE).has(VmFlag.VM_UFFD_WP)).isFalse();
        assertThat(PteBits.pteUffdWp(child.pageTables().pte(BASE))).isFalse();
        // a fork in such a child would wait for a reader of its event: not modelled
    }

    @Test
    void withoutEventForkTheChildIsNotRegistered() {
        Mm child = registeredAndForked(0);
        assertThat(child.vmaLookup(BASE).has(VmFlag.VM_UFFD_WP)).isFalse();
        assertThat(PteBits.pteUffdWp(child.pageTables().pte(BASE))).isFalse();
    }

    @Test
    void aForkInAChildWhoseEventsNoOneReadsIsNotModelled() {
        Mm child = registeredAndForked(UffdCtx.UFFD_FEATURE_EVENT_FORK);
        assertThatThrownBy(() -> Fork.dupMmap(child)).isInstanceOf(NotModelledException.class);
    }

    @Test
    void withEventRemapAMoveKeepsTheRegistrationAndTheBits() {
        registeredAndForked(UffdCtx.UFFD_FEATURE_EVENT_REMAP);
        long to = BASE + PUD_SIZE;
        int flags = Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED;
        assertThat(Mremap.doMremap(mm, BASE, 2 * PAGE_SIZE, 2 * PAGE_SIZE, flags, to)).isEqualTo(to);
        assertThat(mm.vmaLookup(to).has(VmFlag.VM_UFFD_WP)).isTrue();
        assertThat(PteBits.pteUffdWp(mm.pageTables().pte(to))).isTrue();
    }
}
