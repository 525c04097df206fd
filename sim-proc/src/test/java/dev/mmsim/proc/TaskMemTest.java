package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.PAGE_SIZE;
import static dev.mmsim.core.Geometry.PMD_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.MadviseOps;
import dev.mmsim.mm.MappedFile;
import dev.mmsim.mm.Memory;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;

import org.junit.jupiter.api.Test;

/**
 * task_mem() (fs/proc/task_mmu.c): the counters of /proc/pid/status, with figures measured on the
 * hosts' 6.18 (corpus ops/status.scn replays them on the kernel).
 */
class TaskMemTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm = new Mm(new Semantics(dev.mmsim.core.KernelProfile.newest(), HostProfile.parse("zero_page=off")));

    @Test
    void theFirstFaultAllocatesAPudAPmdAndAPteTable() {
        assertThat(Mmap.doMmap(mm, BASE, 16 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(TaskMem.taskMem(mm).vmPte()).isZero();
        for (int i = 0; i < 3; i++) Memory.handleMmFault(mm, BASE + i * PAGE_SIZE, true);
        TaskMem.Counters c = TaskMem.taskMem(mm);
        assertThat(c.vmPte()).isEqualTo(12);
        assertThat(c.rssAnon()).isEqualTo(12);
    }

    /** __do_huge_pmd_anonymous_page(): a PMD-mapped THP has a PTE table deposited under it, counted in VmPTE. */
    @Test
    void aThpCountsItsDepositedTable() {
        assertThat(Mmap.doMmap(mm, BASE, PMD_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(MadviseOps.doMadvise(mm, BASE, PMD_SIZE, Madvise.HUGEPAGE)).isZero();
        Memory.handleMmFault(mm, BASE, true);
        assertThat(mm.pageTables().pmdLeaf(BASE)).isNotNull();
        TaskMem.Counters c = TaskMem.taskMem(mm);
        assertThat(c.rssAnon()).isEqualTo(2048);
        assertThat(c.vmPte()).isEqualTo(12); // PUD table, PMD table, deposited PTE table
        assertThat(MadviseOps.doMadvise(mm, BASE, PMD_SIZE, Madvise.DONTNEED)).isZero();
        assertThat(TaskMem.taskMem(mm).vmPte()).isEqualTo(8); // zap_deposited_table()
    }

    /** mm_counter_file(): page-cache pages count as shmem when the file is shmem, else as file pages. */
    @Test
    void pageCachePagesCountByTheirFilesKind() {
        MappedFile f = MappedFile.regular("f", 4 * PAGE_SIZE, mm.frames());
        MappedFile m = MappedFile.memfd("m", 4 * PAGE_SIZE);
        int shared = MapFlag.MAP_SHARED | MapFlag.MAP_FIXED_NOREPLACE;
        assertThat(Mmap.doMmap(mm, BASE, 4 * PAGE_SIZE, RW, shared, f, 0)).isZero();
        assertThat(Mmap.doMmap(mm, BASE + PMD_SIZE, 4 * PAGE_SIZE, RW, shared, m, 0)).isZero();
        Memory.handleMmFault(mm, BASE + PMD_SIZE, true);
        TaskMem.Counters c = TaskMem.taskMem(mm);
        assertThat(c.rssShmem()).isEqualTo(4);
        assertThat(c.rssFile()).isZero();
        Memory.handleMmFault(mm, BASE, false); // fault-around maps the file's four cached pages
        assertThat(TaskMem.taskMem(mm).rssFile()).isEqualTo(16);
        assertThat(TaskMem.taskMem(mm).rssAnon()).isZero();
    }
}
