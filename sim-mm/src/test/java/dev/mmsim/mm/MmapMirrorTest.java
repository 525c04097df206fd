package dev.mmsim.mm;

import static dev.mmsim.mm.VmaTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Mirror of the kernel's userland mmap tests, tools/testing/vma/tests/mmap.c, against
 * {@link Mmap#mmapRegion} (__mmap_region(), mm/vma.c).
 */
class MmapMirrorTest {
    final Mm mm = newMm();

    /** __mmap_region(NULL, addr, len, vma_flags, pgoff, NULL): returns the address mapped. */
    long mmapRegion(long addr, long len, long pgoff) {
        Vma vma = Mmap.mmapRegion(mm, addr, len, VMA_FLAGS, pgoff, null);
        assertThat(vma.start()).isLessThanOrEqualTo(addr);
        assertThat(vma.end()).isGreaterThanOrEqualTo(addr + len);
        // Built from an empty mm by mmap alone: every neighbour is as merged as the kernel leaves it.
        validateMmMerged(mm);
        return addr;
    }

    @Test
    @DisplayName("test_mmap_region_basic")
    void mmapRegionBasic() {
        // current->mm = &mm: the model passes the mm explicitly.

        /*
         * Map at 0x300000, length 0x3000.
         *
         * 0x24d000  0x250000  0x253000  0x300000  0x303000  0x306000
         *                               ***
         */
        assertThat(mmapRegion(0x300000, 0x3000, 0x300)).isEqualTo(0x300000);

        // Map at 0x250000, length 0x3000.
        /*
         * 0x24d000  0x250000  0x253000  0x300000  0x303000  0x306000
         *           ***                 AAA
         */
        assertThat(mmapRegion(0x250000, 0x3000, 0x250)).isEqualTo(0x250000);

        // Map at 0x303000, merging to 0x300000 of length 0x6000.
        /*
         * 0x24d000  0x250000  0x253000  0x300000  0x303000  0x306000
         *           BBB                 AAA       ***
         */
        assertThat(mmapRegion(0x303000, 0x3000, 0x303)).isEqualTo(0x303000);

        // Map at 0x24d000, merging to 0x250000 of length 0x6000.
        /*
         * 0x24d000  0x250000  0x253000  0x300000  0x303000  0x306000
         * ***       BBB                 AAAAAA
         */
        assertThat(mmapRegion(0x24d000, 0x3000, 0x24d)).isEqualTo(0x24d000);

        assertThat(mm.mapCount()).isEqualTo(2);

        for (Vma vma : mm.vmas()) {
            if (vma.start() == 0x300000) {
                assertThat(vma.end()).isEqualTo(0x306000);
                assertThat(vma.pgoff()).isEqualTo(0x300);
            } else if (vma.start() == 0x24d000) {
                assertThat(vma.end()).isEqualTo(0x253000);
                assertThat(vma.pgoff()).isEqualTo(0x24d);
            } else {
                assertThat(vma).as("unexpected VMA").isNull();
            }
        }

        cleanupMm(mm);
    }
}
