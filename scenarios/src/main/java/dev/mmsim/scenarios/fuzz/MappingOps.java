package dev.mmsim.scenarios.fuzz;

import static dev.mmsim.scenarios.fuzz.GenState.pages;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.Prot;
import dev.mmsim.scenarios.lang.Addr;
import dev.mmsim.scenarios.lang.FileStmt;
import dev.mmsim.scenarios.lang.MemfdStmt;
import dev.mmsim.scenarios.lang.MlockStmt;
import dev.mmsim.scenarios.lang.MmapFlag;
import dev.mmsim.scenarios.lang.MmapStmt;
import dev.mmsim.scenarios.lang.MprotectStmt;
import dev.mmsim.scenarios.lang.MremapStmt;
import dev.mmsim.scenarios.lang.MunlockStmt;
import dev.mmsim.scenarios.lang.MunmapStmt;
import dev.mmsim.scenarios.lang.Size;

import java.util.EnumSet;
import java.util.Set;

/** Writes the statements that create, change and remove mappings. */
final class MappingOps {
    private MappingOps() {}

    /**
     * {@code mmap}: private or shared, anonymous or of a new file, placed by the arena, next to an
     * existing region (above or below: the merge cases), over part of one ({@code fixed}), or just
     * below a 2 MiB or 1 GiB boundary past everything mapped so far. Never below the arena.
     */
    static void mmap(GenState g, MmapFlag extraFlag) {
        int kind = g.choose(60, 15, 15, 10);
        mmap(g, kind == 1 || kind == 3, kind >= 2, false, extraFlag);
    }

    /** {@code mmap} of a new memfd (a shmem file), shared or private. */
    static void mmapMemfd(GenState g) {
        mmap(g, g.chance(0.7), true, true, null);
    }

    private static void mmap(GenState g, boolean shared, boolean file, boolean memfd, MmapFlag extraFlag) {
        String name = g.nextMappingName();
        long size = Ranges.mappingSize(g);
        Set<MmapFlag> flags = EnumSet.of(shared ? MmapFlag.SHARED : MmapFlag.PRIVATE);
        if (!file) flags.add(MmapFlag.ANON);
        if (g.chance(0.1) && !g.uffdRegistered) flags.add(MmapFlag.POPULATE);   // see Moves on populating
        if (g.chance(0.1)) flags.add(MmapFlag.NORESERVE);
        if (extraFlag != null) flags.add(extraFlag);

        Addr at = null;
        Size align = null;
        switch (g.regions.isEmpty() ? 0 : g.choose(40, 25, 10, 10, 15)) {
            // a hugetlb mapping needs a 2 MiB aligned address: mostly give it one
            case 0 -> align = g.chance(extraFlag == MmapFlag.HUGETLB ? 0.9 : 0.25) ? new Size(Ranges.TABLE_SPAN) : null;
            case 1 -> at = above(g.anyRegion());
            case 2 -> at = below(g, g.anyRegion(), size);
            case 3 -> {
                GenState.Region r = g.anyRegion();
                at = r.at(pages(g.rng.nextLong(Math.max(1, r.pages()))));
                flags.add(MmapFlag.FIXED);
            }
            default -> at = belowBoundary(g);
        }
        String fileName = null;
        Size off = null;
        if (file) {
            fileName = g.nextFileName();
            long offset = g.chance(0.3) ? pages(g.between(1, 4)) : 0;
            long missing = g.chance(0.2) ? pages(g.between(1, 3)) : 0;   // the tail past EOF raises SIGBUS
            Size fileSize = new Size(Math.max(pages(1), offset + size - missing));
            g.emit(memfd ? new MemfdStmt(fileName, fileSize) : new FileStmt(fileName, fileSize));
            g.files.add(fileName);
            if (memfd) g.memfds.add(fileName);
            off = offset == 0 ? null : new Size(offset);
        }
        long start = at != null ? g.layout.resolve(at) : g.layout.place(align == null ? 0 : align.bytes());
        g.layout.bind(name, start, size);
        g.emit(new MmapStmt(name, new Size(size), prot(g), flags, at, align, fileName, off));
        if (flags.contains(MmapFlag.HUGETLB)) g.hugetlbMapped = true;
        g.regions.add(new GenState.Region(name, 0, start, Geometry.pageAlign(size), shared, file));
    }

    private static Addr above(GenState.Region r) {
        return r.at(r.size());
    }

    /** Right below region r, or above it where that would leave the arena. */
    private static Addr below(GenState g, GenState.Region r, long size) {
        long length = Geometry.pageAlign(size);
        return r.start() - length >= g.layout.arena() ? r.at(-length) : above(r);
    }

    /** Just below (or at) the next 2 MiB or 1 GiB boundary past every region. */
    private static Addr belowBoundary(GenState g) {
        long unit = g.chance(0.7) ? Ranges.TABLE_SPAN : Ranges.PMD_TABLE_SPAN;
        long boundary = (g.span() / unit + 1) * unit;
        return new Addr(Addr.ARENA, boundary - pages(g.between(0, 3)));
    }

    static void munmap(GenState g) {
        Ranges.Range r = Ranges.range(g);
        g.emit(new MunmapStmt(r.addr(), r.size()));
    }

    static void mprotect(GenState g) {
        Ranges.Range r = Ranges.range(g);
        g.emit(new MprotectStmt(r.addr(), r.size(), prot(g)));
    }

    static void mlock(GenState g) {
        Ranges.Range r = Ranges.range(g);
        g.emit(new MlockStmt(r.addr(), r.size()));
    }

    static void munlock(GenState g) {
        Ranges.Range r = Ranges.range(g);
        g.emit(new MunlockStmt(r.addr(), r.size()));
    }

    /** {@code mremap} in place: shrink, grow (perhaps to a table boundary), or keep the size. */
    static void mremapInPlace(GenState g) {
        int index = g.rng.nextInt(g.regions.size());
        GenState.Region r = g.regions.get(index);
        long oldSize = r.size();
        long newSize = switch (g.choose(35, 35, 15, 15)) {
            case 0 -> Math.max(pages(1), oldSize - pages(g.between(1, 4)));
            case 1 -> oldSize + pages(g.between(1, 4));
            case 2 -> Ranges.nearBoundary(g, r.start(), Ranges.TABLE_SPAN) - r.start();
            default -> oldSize;
        };
        g.emit(new MremapStmt(r.at(0), new Size(oldSize), new Size(Math.max(pages(1), newSize)), false, null,
                false, null));
        g.regions.set(index, r.resized(Math.max(pages(1), newSize)));
    }

    /**
     * {@code mremap maymove fixed}: moves a region (or its first pages) to a free spot past
     * everything mapped, or over another region; with dontunmap the source stays mapped. The moved
     * range is addressed from the arena afterwards.
     */
    static void mremapMove(GenState g, boolean dontunmap) {
        GenState.Region r = g.anyRegion();
        long oldSize = g.chance(0.7) ? r.size() : pages(g.between(1, (int) Math.max(1, r.pages())));
        long newSize = dontunmap ? oldSize : Math.max(pages(1), oldSize + pages(g.between(-2, 2)));
        long target = g.chance(0.7)
                ? g.layout.place(g.chance(0.3) ? Ranges.TABLE_SPAN : 0)
                : g.anyRegion().start() + pages(g.between(0, 2));
        Addr to = new Addr(Addr.ARENA, target - g.layout.arena());
        g.emit(new MremapStmt(r.at(0), new Size(oldSize), new Size(newSize), true, to, dontunmap, null));
        g.regions.add(new GenState.Region(Addr.ARENA, to.offset(), target, newSize, r.shared(), r.file()));
    }

    /** Mostly read-write, sometimes read-only, none, or with exec. */
    static Prot prot(GenState g) {
        return switch (g.choose(70, 10, 8, 4, 4, 2, 2)) {
            case 0 -> new Prot(Prot.PROT_READ | Prot.PROT_WRITE);
            case 1 -> new Prot(Prot.PROT_READ);
            case 2 -> new Prot(Prot.PROT_NONE);
            case 3 -> new Prot(Prot.PROT_READ | Prot.PROT_WRITE | Prot.PROT_EXEC);
            case 4 -> new Prot(Prot.PROT_READ | Prot.PROT_EXEC);
            case 5 -> new Prot(Prot.PROT_WRITE);
            default -> new Prot(Prot.PROT_EXEC);
        };
    }
}
