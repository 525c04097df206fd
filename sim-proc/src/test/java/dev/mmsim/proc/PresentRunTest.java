package dev.mmsim.proc;

import static dev.mmsim.mm.PteBits.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.mm.FrameTable;

import org.junit.jupiter.api.Test;

/**
 * PagemapScan.presentRunEnd(): a run of present entries ends at the first entry whose categories
 * could differ: other bits than the PFN's, the zero page, or (with PAGE_IS_FILE of interest) a frame
 * of the other kind.
 */
class PresentRunTest {
    @Test
    void aRunEndsWhereTheBitsTheZeroPageOrTheFrameKindChange() {
        FrameTable frames = new FrameTable();
        long[] pte = new long[8];
        for (int i = 0; i < 4; i++) pte[i] = mkPresent(frames.alloc(FrameTable.ANON), true, true, false);
        pte[4] = mkPresent(frames.alloc(FrameTable.PAGECACHE), true, true, false);
        pte[5] = mkPresent(frames.alloc(FrameTable.PAGECACHE), true, true, false) | _PAGE_SOFT_DIRTY;
        pte[6] = mkPresent(FrameTable.ZERO_PFN, true, true, false) | _PAGE_SOFT_DIRTY;
        pte[7] = mkPresent(frames.alloc(FrameTable.ANON), true, true, false) | _PAGE_SOFT_DIRTY;

        assertThat(PagemapScan.presentRunEnd(pte, 0, 7, frames, true)).as("the page-cache frame").isEqualTo(4);
        assertThat(PagemapScan.presentRunEnd(pte, 0, 7, frames, false)).as("PAGE_IS_FILE of no interest").isEqualTo(5);
        assertThat(PagemapScan.presentRunEnd(pte, 4, 7, frames, true)).as("the soft-dirty bit").isEqualTo(5);
        assertThat(PagemapScan.presentRunEnd(pte, 5, 7, frames, false)).as("the zero page").isEqualTo(6);
        assertThat(PagemapScan.presentRunEnd(pte, 6, 7, frames, false)).as("out of the zero page").isEqualTo(7);
        assertThat(PagemapScan.presentRunEnd(pte, 7, 7, frames, true)).as("the last entry").isEqualTo(8);
        assertThat(PagemapScan.presentRunEnd(pte, 1, 2, frames, true)).as("stops at last").isEqualTo(3);
    }
}
