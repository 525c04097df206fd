package dev.mmsim.scenarios.run;

import dev.mmsim.core.Geometry;
import dev.mmsim.scenarios.lang.Addr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a scenario's named mappings live. Both backends place every mapping at the address this
 * class computes, so addresses can be rendered relative to mapping names and compared across
 * backends: a mapping without {@code at} goes at the lowest address above every earlier mapping
 * plus a one-page gap, aligned up to its {@code align}; the first one at the arena's start.
 */
public final class Layout {
    /** The default arena start, far from where the kernel places ordinary mappings. */
    public static final long DEFAULT_ARENA = 0x100000000000L;
    /** The arena's extent: smaps and maps without a range cover [arena, arena + ARENA_SIZE). */
    public static final long ARENA_SIZE = 0x100000000000L;

    /** One named mapping: its start and the length it was created with. */
    public record Mapping(String name, long start, long size) {}

    private final long arena;
    private final List<Mapping> mappings = new ArrayList<>();
    private final Map<String, String> unbound = new HashMap<>();

    public Layout(long arena) {
        this.arena = arena;
    }

    /** A copy that binds and unbinds on its own from here on. */
    public Layout copy() {
        Layout c = new Layout(arena);
        c.mappings.addAll(mappings);
        c.unbound.putAll(unbound);
        return c;
    }

    public long arena() {
        return arena;
    }

    public long arenaEnd() {
        return arena + ARENA_SIZE;
    }

    /** The lowest and highest arena starts a run may choose (2 TiB and 32 TiB). */
    public static final long MIN_ARENA = 2L << 40;
    public static final long MAX_ARENA = 32L << 40;

    /**
     * Why an arena start is not allowed, or null: it must be 1 GiB aligned and lie in [2 TiB,
     * 32 TiB], so that its zone, [arena - 1 TiB, arena + 16 TiB), stays clear of the kernel
     * backend's own mappings (a static agent's code and heap near 4 MiB, a PIE agent's from 85 TiB,
     * the stack and libraries near 128 TiB).
     */
    public static String checkArena(long arena) {
        if (Long.compareUnsigned(arena, MIN_ARENA) < 0 || Long.compareUnsigned(arena, MAX_ARENA) > 0 || (arena & ((1L << 30) - 1)) != 0)
            return "the arena must be 1 GiB aligned and lie in [0x" + Long.toHexString(MIN_ARENA) + ", 0x"
                    + Long.toHexString(MAX_ARENA) + "] (2 TiB to 32 TiB), where its zone is clear of the kernel backend's own mappings";
        return null;
    }

    /** How far below the arena the confinement zone reaches: room for mappings placed below it. */
    public static final long ZONE_BELOW_ARENA = 1L << 40;

    /**
     * The start of the confinement zone, [zoneStart, arenaEnd): the only memory a scenario may
     * change. The kernel backend's own mappings lie outside it (Interpreter's confinement).
     */
    public long zoneStart() {
        return Math.max(0, arena - ZONE_BELOW_ARENA);
    }

    /** The start for a new mapping without {@code at}. */
    public long place(long align) {
        long cursor = arena;
        for (Mapping m : mappings) cursor = Math.max(cursor, m.start() + m.size() + Geometry.PAGE_SIZE);
        long a = Math.max(align, Geometry.PAGE_SIZE);
        return Math.ceilDiv(cursor, a) * a;
    }

    public void bind(String name, long start, long size) {
        mappings.add(new Mapping(name, start, Geometry.pageAlign(size)));
        unbound.remove(name);
    }

    /**
     * Records that the statement meant to create NAME failed, so NAME names nothing; a later
     * statement using it gets an {@link UnboundName} with this reason instead of an address.
     */
    public void unbound(String name, String reason) {
        unbound.put(name, reason);
    }

    /** The absolute address an {@link Addr} names. */
    public long resolve(Addr addr) {
        if (addr.base() == null) return addr.offset();
        if (addr.base().equals(Addr.ARENA)) return arena + addr.offset();
        for (int i = mappings.size() - 1; i >= 0; i--) {
            if (mappings.get(i).name().equals(addr.base())) return mappings.get(i).start() + addr.offset();
        }
        String why = unbound.get(addr.base());
        if (why != null) throw new UnboundName(addr.base(), why);
        throw new IllegalStateException("unknown mapping " + addr.base());
    }

    /**
     * Renders an absolute address relative to the mapping with the greatest start at or below it
     * (the most recently named one on a tie): {@code A+12p}, {@code A+12p+0x10}; below every
     * mapping as {@code arena+0x...} or, below the arena, as plain hex ({@code 0} stays {@code 0}).
     */
    public String render(long address) {
        Mapping best = null;
        for (Mapping m : mappings) {
            if (Long.compareUnsigned(m.start(), address) <= 0
                    && (best == null || Long.compareUnsigned(m.start(), best.start()) >= 0)) best = m;
        }
        if (best != null) return new Addr(best.name(), address - best.start()).render();
        if (address == 0) return "0";
        if (Long.compareUnsigned(address, arena) >= 0) return "arena+0x" + Long.toHexString(address - arena);
        return "0x" + Long.toHexString(address);
    }
}
