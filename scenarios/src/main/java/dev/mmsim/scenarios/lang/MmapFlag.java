package dev.mmsim.scenarios.lang;

import dev.mmsim.core.MapFlag;
import java.util.Locale;

/** The flag words of {@code mmap}, in canonical order, with the MAP_* bit each stands for. */
public enum MmapFlag {
    /** MAP_PRIVATE. */
    PRIVATE(MapFlag.MAP_PRIVATE),
    /** MAP_SHARED. */
    SHARED(MapFlag.MAP_SHARED),
    /** MAP_ANONYMOUS; implied when the mapping has no file. */
    ANON(MapFlag.MAP_ANONYMOUS),
    /** MAP_POPULATE. */
    POPULATE(MapFlag.MAP_POPULATE),
    /** MAP_NORESERVE. */
    NORESERVE(MapFlag.MAP_NORESERVE),
    /** MAP_HUGETLB. */
    HUGETLB(MapFlag.MAP_HUGETLB),
    /** MAP_LOCKED. */
    LOCKED(MapFlag.MAP_LOCKED),
    /** MAP_GROWSDOWN. */
    GROWSDOWN(MapFlag.MAP_GROWSDOWN),
    /** MAP_FIXED at the {@code at} address; {@code at} without it means MAP_FIXED_NOREPLACE. */
    FIXED(MapFlag.MAP_FIXED);

    /** The MAP_* value (include/uapi/asm-generic/mman*.h). */
    public final int value;

    MmapFlag(int value) {
        this.value = value;
    }

    /** The scenario spelling: the name in lower case. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
