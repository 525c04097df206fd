package dev.mmsim.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The packed frame table: one byte per frame, mapcounts past the byte in the overflow map. */
class FrameTableTest {
    @Test
    void aMapcountPastTheByteGoesToTheOverflowMapAndComesBack() {
        FrameTable frames = new FrameTable();
        int pfn = frames.alloc(FrameTable.ANON);
        frames.setValue(pfn, FrameTable.PLAIN_WRITE);
        for (int n = 1; n <= 20; n++) {
            frames.map(pfn);
            assertThat(frames.mapcount(pfn)).isEqualTo(n);
        }
        assertThat(frames.kind(pfn)).isEqualTo(FrameTable.ANON);
        assertThat(frames.nonZero(pfn)).isTrue();
        for (int n = 19; n >= 1; n--) {
            frames.unmap(pfn);
            assertThat(frames.mapcount(pfn)).isEqualTo(n);
            assertThat(frames.kind(pfn)).isEqualTo(FrameTable.ANON);
        }
        frames.unmap(pfn);
        assertThat(frames.kind(pfn)).as("freed with its last mapping").isEqualTo(FrameTable.FREE);
        assertThat(frames.anonFrames()).isZero();
    }

    @Test
    void aReusedFrameStartsUnmappedAndZeroFilledEvenAfterAnOverflow() {
        FrameTable frames = new FrameTable();
        int pfn = frames.alloc(FrameTable.PAGECACHE);
        frames.setValue(pfn, FrameTable.PLAIN_WRITE);
        for (int n = 0; n < 9; n++) frames.map(pfn);
        frames.free(pfn);
        int again = frames.alloc(FrameTable.ANON);
        assertThat(again).isEqualTo(pfn);
        assertThat(frames.mapcount(again)).isZero();
        assertThat(frames.nonZero(again)).isFalse();
        frames.map(again);
        assertThat(frames.mapcount(again)).isEqualTo(1);
    }

    @Test
    void framesAcrossChunksKeepTheirOwnState() {
        FrameTable frames = new FrameTable();
        int last = 0;
        for (int i = 0; i < FrameTable.CHUNK + 10; i++) last = frames.alloc(FrameTable.ANON);
        assertThat(last).isGreaterThanOrEqualTo(FrameTable.CHUNK);
        frames.map(last);
        frames.map(last - 1);
        frames.map(last - 1);
        assertThat(frames.mapcount(last)).isEqualTo(1);
        assertThat(frames.mapcount(last - 1)).isEqualTo(2);
        assertThat(frames.mapcount(last - 2)).isZero();
    }

    @Test
    void aThpKeepsItsEntireMapcountOncePerFolio() {
        FrameTable frames = new FrameTable();
        int head = frames.allocThp();
        frames.mapPmd(head);
        frames.mapPmd(head);
        assertThat(frames.entireMapcount(head)).isEqualTo(2);
        assertThat(frames.isLarge(head + 7)).isTrue();
        assertThat(frames.precisePageMapcount(head + 7)).isEqualTo(2);
        assertThat(frames.folioMaybeMappedShared(head + 7)).isTrue();
        frames.unmapPmd(head);
        assertThat(frames.folioMaybeMappedShared(head + 7)).isFalse();
        frames.unmapPmd(head);
        assertThat(frames.kind(head + 7)).as("an unmapped THP is freed").isEqualTo(FrameTable.FREE);
    }
}
