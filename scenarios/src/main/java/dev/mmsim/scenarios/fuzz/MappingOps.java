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
import dev.mmsim.scenarios.lang.MsealStmt;
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
        // the agent writes a file's zeros page by page: a PUD-sized mapping is anonymous
        if (file && size >= Ranges.BIG) size = pages(g.between(1023, 1026));
        Set<MmapFlag> flags = EnumSet.of(shared ? MmapFlag.SHARED : MmapFlag.PRIVATE);
        if (!file) flags.add(MmapFlag.ANON);
        boolean big = size >= Ranges.BIG;   // not populated: a PUD-sized mapping is touched in part only
        if (g.chance(0.1) && !g.uffdRegistered && !big) flags.add(MmapFlag.POPULATE);   // see Moves on populating
        if (g.chance(0.1)) flags.add(MmapFlag.NORESERVE);
        if (extraFlag != null && !(big && (extraFlag == MmapFlag.LOCKED || extraFlag == MmapFlag.HUGETLB))) flags.add(extraFlag);

        Addr at = null;
        Size align = null;
        switch (g.regions.isEmpty() ? 0 : g.choose(40, 25, 10, 10, 15)) {
            // a hugetlb mapping needs a 2 MiB aligned address: mostly give it one
            case 0 -> align = g.chance(extraFlag == MmapFlag.HUGETLB ? 0.9 : 0.25)
                    ? new Size(g.chance(big ? 0.5 : 0.05) ? Ranges.PMD_TABLE_SPAN : Ranges.TABLE_SPAN) : null;
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
        GenState.Region region = g.anyRegion();
        Ranges.Range r = Ranges.range(g, region);
        g.emit(new MlockStmt(r.addr(), new Size(Ranges.touchable(region, r.size().bytes()))));
    }

    /** {@code mseal}: a range in or around a region (sealing part of one splits it). */
    static void mseal(GenState g) {
        Ranges.Range r = g.chance(0.5) ? Ranges.whole(g.anyRegion()) : Ranges.range(g);
        g.emit(new MsealStmt(r.addr(), r.size()));
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

    /**
     * The other forms of {@code mremap}: a move to a fixed target at the same offset within a PMD
     * (or a PUD) as the source, where whole tables can move (move_normal_pmd(), move_normal_pud()),
     * or at another offset; a target straddling a table boundary; and the argument errors: fixed without
     * maymove, dontunmap without maymove, a target overlapping the source, an unaligned address, a
     * huge new length, and growing in place past a neighbour without maymove.
     */
    static void mremapEdge(GenState g) {
        GenState.Region r = g.anyRegion();
        long unit = g.chance(0.6) ? Ranges.TABLE_SPAN : Ranges.PMD_TABLE_SPAN;
        long oldSize = g.chance(0.7) ? r.size() : pages(g.between(1, (int) Math.max(1, r.pages())));
        switch (g.choose(5, 4, 2, 0, 1, 1, 1, 1, 1, 1)) {
            case 0, 1 -> {
                long base = g.layout.place(unit);
                long offset = Math.floorMod(r.start(), unit);
                if (g.choose(5, 4) == 1 || offset == 0 && g.chance(0.5))
                    offset = Math.floorMod(offset + pages(g.between(1, 511)), unit);
                move(g, r, oldSize, oldSize, base + offset, g.chance(0.15));
            }
            case 2 -> {
                long boundary = g.layout.place(unit) + unit;
                move(g, r, oldSize, oldSize + pages(g.between(0, 2)), boundary - pages(g.between(1, 3)), false);
            }
            case 3 -> mremapDuplicate(g);
            case 4 -> g.emit(new MremapStmt(r.at(0), new Size(oldSize), new Size(oldSize), false,
                    new Addr(Addr.ARENA, g.layout.place(0) - g.layout.arena()), false, null));
            case 5 -> g.emit(new MremapStmt(r.at(0), new Size(oldSize), new Size(oldSize), false, null, true, null));
            case 6 -> g.emit(new MremapStmt(r.at(0), new Size(oldSize), new Size(oldSize), true,
                    r.at(pages(g.between(1, 2))), false, null));
            case 7 -> g.emit(new MremapStmt(r.at(0x10), new Size(oldSize), new Size(oldSize + pages(1)), g.chance(0.5),
                    null, false, null));
            case 8 -> g.emit(new MremapStmt(r.at(0), new Size(oldSize), new Size(Ranges.hugeLength(g, r.start())),
                    g.chance(0.5), null, false, null));
            default -> g.emit(new MremapStmt(r.at(0), new Size(r.size()), new Size(r.size() + unit), false, null,
                    false, null));
        }
    }

    /**
     * {@code mremap ADDR 0 NEWLEN maymove fixed TARGET}: an old length of 0 makes a second mapping of
     * a shared mapping's pages (EINVAL for a private one). Its own move, which the simulator may not
     * model yet (OpSet probes it).
     */
    static void mremapDuplicate(GenState g) {
        GenState.Region r = g.anyRegion();
        long target = g.layout.place(g.chance(0.5) ? Ranges.TABLE_SPAN : 0);
        long newSize = Math.max(pages(1), g.chance(0.7) ? r.size() : pages(g.between(1, (int) Math.max(1, r.pages()))));
        Addr to = new Addr(Addr.ARENA, target - g.layout.arena());
        g.emit(new MremapStmt(r.at(0), new Size(0), new Size(newSize), true, to, false, null));
        if (r.shared()) g.regions.add(new GenState.Region(Addr.ARENA, to.offset(), target, newSize, true, r.file()));
    }

    /** {@code mremap ... maymove fixed TARGET [dontunmap]}, the target then a region of its own. */
    private static void move(GenState g, GenState.Region r, long oldSize, long newSize, long target, boolean dontunmap) {
        Addr to = new Addr(Addr.ARENA, target - g.layout.arena());
        long size = dontunmap ? oldSize : newSize;
        g.emit(new MremapStmt(r.at(0), new Size(oldSize), new Size(size), true, to, dontunmap, null));
        g.regions.add(new GenState.Region(Addr.ARENA, to.offset(), target, Geometry.pageAlign(size), r.shared(), r.file()));
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
