package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;

import org.junit.jupiter.api.Test;

/** dup_userfaultfd() without UFFD_FEATURE_EVENT_FORK: the child's VMAs are not registered. */
class ForkUffdTest {
    static final long BASE = 0x100000000000L;
    static final int ANON_PRIVATE = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final long ASYNC = UffdCtx.UFFD_FEATURE_WP_ASYNC | UffdCtx.UFFD_FEATURE_WP_UNPOPULATED;

    @Test
    void theChildCanRegisterItsCopyOfARegisteredVmaWithItsOwnUffd() {
        Mm parent = new Mm(Semantics.newest(HostProfile.UPSTREAM));
        Mmap.doMmap(parent, BASE, 8 * PAGE_SIZE, Prot.PROT_READ | Prot.PROT_WRITE, ANON_PRIVATE, null, 0);
        assertThat(Userfaultfd.register(parent, BASE, 8 * PAGE_SIZE, Userfaultfd.MODE_WP, ASYNC)).isZero();
        Mm child = Fork.dupMmap(parent);
        assertThat(Userfaultfd.userfaultfdWp(child.findVma(BASE))).isFalse();
        assertThat(Userfaultfd.userfaultfdWpAsync(child.findVma(BASE))).isFalse();
        // the kernel lets the child register it (no EBUSY: the VMA has no context any more)
        assertThat(Userfaultfd.register(child, BASE, 8 * PAGE_SIZE, Userfaultfd.MODE_WP, ASYNC)).isZero();
        assertThat(Userfaultfd.userfaultfdWpAsync(child.findVma(BASE))).isTrue();
        // and the parent's registration is untouched
        assertThat(Userfaultfd.userfaultfdWpAsync(parent.findVma(BASE))).isTrue();
    }
}
