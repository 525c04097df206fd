package dev.mmsim.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;

import org.junit.jupiter.api.Test;

/**
 * x86-64 access_ok() (__access_ok(), arch/x86/include/asm/uaccess_64.h) as pagemap_scan_get_args()
 * (fs/proc/task_mmu.c) uses it on the scanned range and the vector, across the releases and the
 * host's page-table depth.
 */
class AccessOkTest {
    static final long TASK_SIZE_MAX = 0x7ffffffff000L;
    static final long BASE = 0x100000000000L;

    static Mm mm(KernelProfile profile, String host) {
        return new Mm(new Semantics(profile, HostProfile.parse(host)));
    }

    @Test
    void sinceSixThirteenARangeMayEndAtTaskSizeMax() {
        Mm mm = mm(KernelProfile.newest(), "zero_page=off");
        assertThat(PagemapScan.accessOk(mm, TASK_SIZE_MAX - 8, 8)).isTrue();
        assertThat(PagemapScan.accessOk(mm, TASK_SIZE_MAX - 8, 9)).isFalse();
        assertThat(PagemapScan.accessOk(mm, BASE, -1L)).as("wraps").isFalse();
    }

    @Test
    void sixTwelveAsReleasedStoppedOneByteShort() {
        // "x86: fix user address masking non-canonical speculation issue": USER_PTR_MAX = TASK_SIZE_MAX - 1
        Mm mm = mm(KernelProfile.linux(12), "zero_page=off");
        assertThat(PagemapScan.accessOk(mm, TASK_SIZE_MAX - 8, 8)).isFalse();
        assertThat(PagemapScan.accessOk(mm, TASK_SIZE_MAX - 8, 7)).isTrue();
    }

    @Test
    void untilSixElevenOnlyTheSignBitCounted() {
        // "x86-64: make access_ok() independent of LAM": valid_user_address() is (long)x >= 0
        Mm mm = mm(KernelProfile.linux(11), "zero_page=off");
        assertThat(PagemapScan.accessOk(mm, BASE, 0x800000000000L - BASE)).isTrue();
        assertThat(PagemapScan.accessOk(mm, BASE, Long.MAX_VALUE - BASE)).isTrue();
        assertThat(PagemapScan.accessOk(mm, BASE, Long.MAX_VALUE - BASE + 1)).isFalse();
    }

    @Test
    void fivePageTableLevelsMoveTaskSizeMaxTo2To56() {
        Mm mm = mm(KernelProfile.newest(), "zero_page=off,la57=on");
        assertThat(mm.taskSize()).isEqualTo((1L << 56) - 4096);
        assertThat(PagemapScan.accessOk(mm, BASE, 0x800000000000L - BASE)).isTrue();
        assertThat(PagemapScan.accessOk(mm, BASE, (1L << 56) - 4096 - BASE)).isTrue();
        assertThat(PagemapScan.accessOk(mm, BASE, (1L << 56) - 4096 - BASE + 1)).isFalse();
    }

    @Test
    void pagemapScanGetArgsRejectsAnEndPastTaskSizeMaxOnlyWithFourLevels() {
        int anon = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
        for (String host : new String[] {"zero_page=off", "zero_page=off,la57=on"}) {
            Mm mm = mm(KernelProfile.newest(), host);
            assertThat(Mmap.doMmap(mm, BASE, 10 * 4096, Prot.PROT_READ | Prot.PROT_WRITE, anon, null, 0)).isZero();
            ScanResult r = PagemapScan.doPagemapScan(mm, PmScanArg.of(BASE, 0x800000000000L, 16), null);
            if (host.contains("la57")) {
                assertThat(r.ret()).as(host).isNotNegative();
                assertThat(r.walkEnd()).isEqualTo(0x800000000000L);
            } else {
                assertThat(r.ret()).as(host).isEqualTo(-14);
                assertThat(r.walkEnd()).isZero();
            }
        }
    }
}
