package dev.mmsim.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.Mm;

import org.junit.jupiter.api.Test;

/** The read rules of /proc/pid/pagemap: the VFS range check, alignment and the end of the address space. */
class PagemapReadTest {
    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    @Test
    void aReadWhoseEndPassesTheLargestFileOffsetFailsWithEinval() {
        // pread(fd, buf, 8, 0x7ffffffffffffff8): pos + count overflows loff_t
        assertThat(Pagemap.pagemapRead(mm, 0x7ffffffffffffff8L, 8).error()).isEqualTo(-22);
        // one word earlier it fits, and starts beyond TASK_SIZE: nothing to read
        Pagemap.ReadResult r = Pagemap.pagemapRead(mm, 0x7ffffffffffffff0L, 8);
        assertThat(r.error()).isZero();
        assertThat(r.words()).isEmpty();
    }

    @Test
    void misalignedPositionOrCountFailsAndTheLastPageReadsShort() {
        assertThat(Pagemap.pagemapRead(mm, 4, 8).error()).isEqualTo(-22);
        assertThat(Pagemap.pagemapRead(mm, 8, 12).error()).isEqualTo(-22);
        long lastPage = (mm.taskSize() >>> 12) - 1;
        Pagemap.ReadResult r = Pagemap.pagemapRead(mm, lastPage * 8, 16);
        assertThat(r.error()).isZero();
        assertThat(r.words()).hasSize(1);
    }
}
