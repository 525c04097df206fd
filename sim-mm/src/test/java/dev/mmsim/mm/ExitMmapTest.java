package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;

import org.junit.jupiter.api.Test;

/** exit_mmap(): a process's exit removes every mapping, sealed ones included. */
class ExitMmapTest {
    static final long BASE = 0x100000000000L;

    @Test
    void aChildsExitUnmapsEvenItsSealedVmasAndThePagesAreTheParentsAloneAgain() {
        Mm parent = new Mm(Semantics.newest(HostProfile.UPSTREAM));
        assertThat(Mmap.doMmap(parent, BASE, 4 * PAGE_SIZE, Prot.PROT_READ | Prot.PROT_WRITE,
                MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED, null, 0)).isZero();
        assertThat(Memory.handleMmFault(parent, BASE, true)).isEqualTo(Memory.FaultResult.OK);
        long pfn = PteBits.ptePfn(parent.pageTables().pte(BASE));
        Mm child = Fork.dupMmap(parent);
        assertThat(parent.frames().mapcount(pfn)).isEqualTo(2);
        assertThat(Mseal.doMseal(child, BASE, 4 * PAGE_SIZE, 0)).isZero();

        Mmap.exitMmap(child);

        assertThat(child.vmas()).isEmpty();
        assertThat(child.pageTables().pteTableCount()).isZero();
        assertThat(child.validate()).isEmpty();
        assertThat(parent.frames().mapcount(pfn)).isEqualTo(1);
        assertThat(parent.vmas()).hasSize(1);
    }
}
