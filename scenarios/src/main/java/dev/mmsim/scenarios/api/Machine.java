package dev.mmsim.scenarios.api;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.SemanticChoice;
import dev.mmsim.core.SemanticExtension;
import dev.mmsim.proc.PageRegion;
import dev.mmsim.proc.Pagemap;
import dev.mmsim.proc.PmScanArg;
import dev.mmsim.proc.ScanResult;
import dev.mmsim.proc.SmapsEntry;
import dev.mmsim.scenarios.lang.MmapFlag;
import dev.mmsim.scenarios.run.Backend;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Render;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.SimBackend;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated process, scripted from Java: the same model and the same calls as a scenario on
 * the simulator backend, with typed arguments and results. Mappings get names so that results
 * render as transcripts do ({@link #render(long)}: {@code A+3p}); {@link #fork} gives the child
 * as a machine of its own. Not thread-safe. See the package documentation for an example.
 */
public final class Machine implements AutoCloseable {
    /** The base page size, 4096. */
    public static final long PAGE = Geometry.PAGE_SIZE;

    private final Backend backend;
    private final SimBackend root;
    private final Layout layout;
    private int children;

    private Machine(Backend backend, SimBackend root, Layout layout) {
        this.backend = backend;
        this.root = root;
        this.layout = layout;
    }

    /** A builder with upstream defaults: the newest kernel profile, a host with the zero page, no swap. */
    public static Builder builder() {
        return new Builder();
    }

    /** How the simulated machine is set up. */
    public static final class Builder {
        private HostProfile host = HostProfile.UPSTREAM;
        private String profile = KernelProfile.NEWEST;
        private final Map<Semantic, Boolean> settings = new EnumMap<>(Semantic.class);
        private SemanticExtension extension = SemanticExtension.KERNEL;
        private boolean swap;
        private long hugetlbPages;
        private long arena = Layout.DEFAULT_ARENA;

        private Builder() {}

        /** The host profile, as {@code --host-profile} takes it: {@code zero_page=off,thp=madvise}. */
        public Builder host(String profile) {
            this.host = HostProfile.parse(profile);
            return this;
        }

        /** The kernel profile: {@code linux-6.12}, or {@code newest}. */
        public Builder profile(String name) {
            this.profile = name;
            return this;
        }

        /** A semantic switch on or off, as {@code --set NAME=on|off}. */
        public Builder set(String semantic, boolean on) {
            Semantic s = Semantic.byName(semantic);
            if (s == null) throw new IllegalArgumentException("unknown semantic '" + semantic + "'");
            settings.put(s, on);
            return this;
        }

        /** A reviewer's rule, as {@code --semantic-class}. */
        public Builder extension(SemanticExtension extension) {
            this.extension = extension;
            return this;
        }

        /** A swap device (as {@code requires swap}). */
        public Builder swap(boolean on) {
            this.swap = on;
            return this;
        }

        /** A hugetlb pool of so many 2 MiB pages (as {@code requires hugetlb}: 16). */
        public Builder hugetlbPages(long pages) {
            this.hugetlbPages = pages;
            return this;
        }

        /** Where mappings without an address are placed (default 0x100000000000). */
        public Builder arena(long start) {
            this.arena = start;
            return this;
        }

        public Machine build() {
            SemanticChoice choice = new SemanticChoice(KernelProfile.named(profile), settings, extension);
            SimBackend sim = new SimBackend(choice.semantics(profile, host));
            if (swap) sim.swapOn();
            if (hugetlbPages > 0) sim.hugetlbPool(hugetlbPages);
            Layout layout = new Layout(arena);
            sim.arena(layout.arena(), layout.arenaEnd());
            return new Machine(sim, sim, layout);
        }
    }

    /** The host profile the machine follows. */
    public HostProfile host() {
        return backend.host();
    }

    /**
     * mmap(): private or shared, anonymous or not, with {@code prot} as the language writes it
     * ({@code rw}, {@code r}, {@code none}); placed after the mappings made so far, with
     * MAP_FIXED_NOREPLACE, as a scenario's {@code mmap} is. Throws if the kernel refuses.
     */
    public Mapping mmap(String name, long length, String prot, MmapFlag... flags) {
        return mmapAt(name, layout.place(PAGE), length, prot, flags);
    }

    /** mmap() at {@code address} (MAP_FIXED_NOREPLACE unless {@link MmapFlag#FIXED} is given). */
    public Mapping mmapAt(String name, long address, long length, String prot, MmapFlag... flags) {
        Prot p = Prot.parse(prot);
        if (p == null) throw new IllegalArgumentException("bad prot '" + prot + "' (none, or r, w, x in that order)");
        int f = MapFlag.MAP_ANONYMOUS;
        for (MmapFlag flag : flags) f |= flag.value;
        if ((f & MapFlag.MAP_FIXED) == 0) f |= MapFlag.MAP_FIXED_NOREPLACE;
        long r = backend.mmap(address, length, p.bits(), f, -1, 0);
        if (r < 0) throw new IllegalStateException("mmap " + name + ": " + new Result(r));
        layout.bind(name, address, length);
        return new Mapping(name, address, length);
    }

    public Result munmap(long address, long length) {
        return new Result(backend.munmap(address, length));
    }

    public Result mprotect(long address, long length, String prot) {
        Prot p = Prot.parse(prot);
        if (p == null) throw new IllegalArgumentException("bad prot '" + prot + "'");
        return new Result(backend.mprotect(address, length, p.bits()));
    }

    public Result madvise(long address, long length, Madvise advice) {
        return new Result(backend.madvise(address, length, advice.value));
    }

    public Result mlock(long address, long length) {
        return new Result(backend.mlock(address, length));
    }

    public Result munlock(long address, long length) {
        return new Result(backend.munlock(address, length));
    }

    public Result mseal(long address, long length) {
        return new Result(backend.mseal(address, length));
    }

    /** Reads the first byte of each page of [address, address + length). */
    public Access read(long address, long length) {
        return touch(false, address, length);
    }

    /** Writes the first byte of each page of [address, address + length). */
    public Access write(long address, long length) {
        return touch(true, address, length);
    }

    /**
     * Stores value as the first 8 bytes of each page of [address, address + length) ({@code write
     * ... value}; address page-aligned), stopping at the first page that faults.
     */
    public Access write(long address, long length, long value) {
        Backend.TouchResult r = backend.store(address, length, value);
        return new Access(r.signal(), r.address());
    }

    /**
     * The value (first 8 bytes) of the page at address, loaded as {@code values} does (faulting it
     * in); a page whose load raises a signal throws.
     */
    public long value(long address) {
        Backend.ValueRun r = backend.values(address, 1).get(0);
        if (r.signal() != null) throw new IllegalStateException("values: " + r.signal() + " at " + render(address));
        return r.value();
    }

    /** The values of {@code pages} pages from address, as a transcript prints them: runs of equal outcomes. */
    public String valuesText(long address, long pages) {
        return Render.values(backend.values(address, pages), layout);
    }

    private Access touch(boolean write, long address, long length) {
        Backend.TouchResult r = backend.touch(write, address, length);
        return new Access(r.signal(), r.address());
    }

    /** PAGEMAP_SCAN over [address, address + length), every category returned, no filter. */
    public Scan scan(long address, long length) {
        return scan(PmScanArg.of(address, address + length, 1024));
    }

    /** PAGEMAP_SCAN with every field of struct pm_scan_arg given. */
    public Scan scan(PmScanArg arg) {
        ScanResult r = backend.scan(arg, null);
        List<Region> regions = new ArrayList<>();
        for (PageRegion g : r.regions()) regions.add(new Region(g.start(), g.end(), g.categories()));
        return new Scan(r.ret(), r.walkEnd(), List.copyOf(regions), Render.scan(r, layout));
    }

    /** The /proc/pid/pagemap entries of {@code pages} pages from {@code address}; an error throws. */
    public List<PagemapEntry> pagemap(long address, long pages) {
        Pagemap.ReadResult r = backend.pagemap(address, pages);
        if (r.error() < 0) throw new IllegalStateException("pagemap: " + new Result(r.error()));
        List<PagemapEntry> out = new ArrayList<>();
        for (int i = 0; i < r.words().length; i++) out.add(new PagemapEntry(address + i * PAGE, r.words()[i]));
        return out;
    }

    /** The same entries as a transcript prints them: runs of equal entries. */
    public String pagemapText(long address, long pages) {
        return Render.pagemap(address, backend.pagemap(address, pages), layout);
    }

    /** The smaps entries of every VMA in the arena. */
    public List<SmapsEntry> smaps() {
        return backend.smaps(layout.arena(), layout.arenaEnd());
    }

    /** The smaps entries of the VMAs overlapping [address, address + length). */
    public List<SmapsEntry> smaps(long address, long length) {
        return backend.smaps(address, address + length);
    }

    /** smaps as a transcript prints it. */
    public String smapsText() {
        return Render.smaps(smaps(), layout);
    }

    /** fork(): the child, a machine of its own sharing this one's names. */
    public Machine fork() {
        String name = "child" + (++children);
        long r = backend.fork(name);
        if (r < 0) throw new IllegalStateException("fork: " + new Result(r));
        return new Machine(backend.child(name), root, layout);
    }

    /** An address relative to the named mappings, as transcripts print it: {@code A+3p}. */
    public String render(long address) {
        return layout.render(address);
    }

    /** The hugetlb pool a scenario that requires hugetlb gets. */
    public static long defaultHugetlbPages() {
        return Runner.HUGETLB_PAGES;
    }

    @Override
    public void close() {
        if (backend == root) root.close();
    }
}
