package dev.mmsim.mm;

import dev.mmsim.core.Madvise;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;

/**
 * What KSM does to VMAs, modelled on mm/ksm.c: which VMAs may be merged (ksm_compatible()), the
 * VM_MERGEABLE flag that MADV_MERGEABLE / MADV_UNMERGEABLE set and clear (ksm_madvise()), and the
 * process-wide PR_SET_MEMORY_MERGE (ksm_enable_merge_any() / ksm_disable_merge_any()), which marks
 * every eligible VMA and makes new ones mergeable from the start (ksm_vma_flags(), applied by
 * __mmap_region() before it tries to merge, so that a new VMA merges with a mergeable neighbour;
 * before 6.17, switch {@link Semantic#KSM_NEW_VMA_MERGE} off, only after: {@link #ksmAddVma}).
 *
 * <p>Model simplification: ksmd, which would merge identical pages, never runs (the hosts keep
 * /sys/kernel/mm/ksm/run at 0), so no page is ever a KSM page and unmerging has nothing to undo.
 */
public final class Ksm {
    private Ksm() {}

    /** ksm_compatible(): shared, special (VM_SPECIAL), hugetlb and droppable mappings never merge. */
    static boolean ksmCompatible(long vmFlags) {
        long excluded = VmFlag.of(VmFlag.VM_SHARED, VmFlag.VM_MAYSHARE, VmFlag.VM_HUGETLB, VmFlag.VM_DROPPABLE)
                | VmFlag.VM_SPECIAL;
        return (vmFlags & excluded) == 0;
    }

    /** ksm_vma_flags(): with MMF_VM_MERGE_ANY a new eligible VMA is mergeable from the start. */
    static long ksmVmaFlags(Mm mm, long vmFlags) {
        if (mm.mergeAny && ksmCompatible(vmFlags)) return vmFlags | VmFlag.VM_MERGEABLE.mask();
        return vmFlags;
    }

    /**
     * ksm_add_vma(): with MMF_VM_MERGE_ANY an eligible VMA just created becomes VM_MERGEABLE. How
     * __mmap_region() marked a new mapping before 6.17 (switch {@link Semantic#KSM_NEW_VMA_MERGE}
     * off): only once the VMA existed, after the merge attempt, so a mapping placed next to a
     * mergeable VMA did not merge with it.
     */
    static void ksmAddVma(Mm mm, Vma vma) {
        vma.vmFlagsReset(ksmVmaFlags(mm, vma.flags()));
    }

    /** ksm_madvise(): the VMA's flags after MADV_MERGEABLE or MADV_UNMERGEABLE (unchanged where KSM cannot apply). */
    static long ksmMadvise(Vma vma, Madvise advice, long flags) {
        if (advice == Madvise.MERGEABLE) {
            if ((flags & VmFlag.VM_MERGEABLE.mask()) != 0 || !ksmCompatible(vma.flags())) return flags;
            return flags | VmFlag.VM_MERGEABLE.mask();
        }
        return flags & ~VmFlag.VM_MERGEABLE.mask();
    }

    /**
     * prctl(PR_SET_MEMORY_MERGE, arg2) (kernel/sys.c): a non-zero arg2 enables merging of the whole
     * process (ksm_enable_merge_any(): MMF_VM_MERGE_ANY, then ksm_add_vmas() sets VM_MERGEABLE on
     * every eligible VMA in place, without merging it with its neighbours); 0 disables it again
     * (ksm_disable_merge_any(): ksm_del_vmas() clears VM_MERGEABLE from every VMA, also in place),
     * and does nothing when merging was not enabled. Returns 0.
     */
    public static int prctlSetMemoryMerge(Mm mm, long arg2) {
        if (arg2 != 0) {
            if (mm.mergeAny) return 0;
            mm.mergeAny = true;
            for (Vma v : mm.vmas()) {
                if (!v.has(VmFlag.VM_MERGEABLE) && ksmCompatible(v.flags())) v.vmFlagsSet(VmFlag.VM_MERGEABLE.mask());
            }
            return 0;
        }
        if (!mm.mergeAny) return 0;
        for (Vma v : mm.vmas()) v.vmFlagsClear(VmFlag.VM_MERGEABLE.mask());
        mm.mergeAny = false;
        return 0;
    }

    /** prctl(PR_GET_MEMORY_MERGE). */
    public static int prctlGetMemoryMerge(Mm mm) {
        return mm.mergeAny ? 1 : 0;
    }
}
