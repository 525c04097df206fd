package dev.mmsim.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;

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

    @Test
    void aReadIntoMemoryTheKernelCannotWriteFailsWithEfault() {
        long base = 0x100000000000L;
        int anon = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
        Mmap.doMmap(mm, base, 4096, Prot.PROT_READ, anon, null, 0);
        Mmap.doMmap(mm, base + 4096, 4096, Prot.PROT_READ | Prot.PROT_WRITE, anon, null, 0);
        long pos = (base >>> 12) * 8;
        assertThat(Pagemap.pread(mm, pos, 8, mm, base).error()).isEqualTo(-14);
        assertThat(Pagemap.pread(mm, pos, 8, mm, 0x7ffffffffff8L + 8).error()).isEqualTo(-14);
        // the writable page's last word can be written; a second word past it is unmapped
        assertThat(Pagemap.pread(mm, pos, 8, mm, base + 8192 - 8).words()).hasSize(1);
        assertThat(Pagemap.pread(mm, pos, 16, mm, base + 8192 - 8).error()).isEqualTo(-14);
    }
}
