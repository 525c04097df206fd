package dev.mmsim.scenarios.fuzz;

import dev.mmsim.core.Madvise;
import dev.mmsim.scenarios.lang.MmapFlag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The generator's table of moves: every operation and observation of the scenario language, with
 * its weight. {@code set} is left out (the kernel backend skips scenarios that use it), and so is
 * {@code mremap} to a kernel-chosen address (it could land outside the arena, where no transcript
 * can name it). Nothing populates or installs guards after a userfaultfd registration (no
 * mlock, MAP_LOCKED, MAP_POPULATE, MADV_POPULATE_READ/WRITE or MADV_GUARD_INSTALL): on this host's
 * kernel (6.18) two such calls over a uffd-wp marker in a shared file mapping never return.
 * MADV_GUARD_INSTALL retries forever (the zap leaves the marker), and GUP's populate (mlock of a
 * read-only mapping whose page MADV_REMOVE dropped) faults forever without ever checking for a
 * signal it could deliver. No mremap moves once a hugetlb mapping exists: moving part of a private
 * hugetlb VMA leaks its remaining reservations on the host for good (measured on 6.18; the
 * simulator models it, corpus hugetlb/ and scenarios/destructive/), and a campaign would drain the
 * host's pool. A child may fork too (`c1: fork c2`), and the uffd may be closed
 * after a fork: the agent's fork returns once the child has closed its copy of the uffd, so the
 * close releases the registrations. Operations with a probe are drawn only when the simulator
 * models them, unless every move is asked for.
 */
final class Moves {
    /** Advice weights: guard regions first, then the advice that zaps or fills page tables. */
    private static final Map<Madvise, Double> ADVICE_WEIGHTS = Map.ofEntries(
            Map.entry(Madvise.GUARD_INSTALL, 4.0), Map.entry(Madvise.GUARD_REMOVE, 3.0), Map.entry(Madvise.DONTNEED, 2.0),
            Map.entry(Madvise.FREE, 1.0), Map.entry(Madvise.POPULATE_READ, 0.5), Map.entry(Madvise.POPULATE_WRITE, 0.5),
            Map.entry(Madvise.WILLNEED, 0.5), Map.entry(Madvise.COLD, 0.5), Map.entry(Madvise.PAGEOUT, 0.5),
            Map.entry(Madvise.HUGEPAGE, 1.0), Map.entry(Madvise.COLLAPSE, 0.75), Map.entry(Madvise.NOHUGEPAGE, 0.5));
    /** Advice not given after a userfaultfd registration: the kernel may never return (class comment). */
    private static final Set<Madvise> AFTER_UFFD_HANGS =
            Set.of(Madvise.GUARD_INSTALL, Madvise.POPULATE_READ, Madvise.POPULATE_WRITE);
    /** The advice process_madvise is drawn with: guards and the advice that zaps or ages pages. */
    private static final List<Madvise> PROCESS_MADVISE = List.of(Madvise.GUARD_INSTALL, Madvise.GUARD_REMOVE,
            Madvise.DONTNEED, Madvise.FREE, Madvise.COLD, Madvise.WILLNEED);
    /** The same without what may hang after a userfaultfd registration (class comment). */
    private static final List<Madvise> PROCESS_MADVISE_AFTER_UFFD = PROCESS_MADVISE.stream()
            .filter(a -> !AFTER_UFFD_HANGS.contains(a)).toList();
    /** The weight of every other advice. */
    private static final double OTHER_ADVICE = 0.25;

    private Moves() {}

    /** Every move; childStatement writes one statement in a forked child. */
    static List<Move> all(Consumer<GenState> childStatement) {
        List<Move> moves = new ArrayList<>(mappingMoves());
        for (Madvise advice : Madvise.values()) {
            Move m = Move.onRegions("madvise " + advice.scenarioName(), ADVICE_WEIGHTS.getOrDefault(advice, OTHER_ADVICE),
                    List.of("madvise P 8p " + advice.scenarioName()), true, g -> ProcessOps.madvise(g, advice));
            moves.add(AFTER_UFFD_HANGS.contains(advice) ? m.when(g -> !g.uffdRegistered) : m);
        }
        moves.addAll(processMoves(childStatement));
        moves.addAll(observations());
        return moves;
    }

    private static List<Move> mappingMoves() {
        return List.of(
                new Move("mmap", 6, List.of(), false, g -> g.mappings < GenState.MAX_MAPPINGS,
                        g -> MappingOps.mmap(g, null)),
                mmapWith(MmapFlag.LOCKED, "4p", 0.3), mmapWith(MmapFlag.HUGETLB, "2M", 0.6),
                mmapWith(MmapFlag.GROWSDOWN, "4p", 0.3),
                new Move("mmap memfd", 1.5, List.of("memfd pm 8p", "mmap Q 8p rw shared file pm"), false,
                        g -> g.mappings < GenState.MAX_MAPPINGS, MappingOps::mmapMemfd),
                new Move("truncate", 1, List.of("file pf 8p", "truncate pf 2p"), false, g -> !g.files.isEmpty(),
                        FileOps::truncate),
                new Move("seal", 0.5, List.of("memfd pm 8p", "seal pm shrink"), false, g -> !g.memfds.isEmpty(),
                        FileOps::seal),
                new Move("reopen", 0.5, List.of("file pf 8p", "reopen pf ro"), false, g -> !g.files.isEmpty(),
                        FileOps::reopen),
                Move.onRegions("munmap", 3, List.of(), true, MappingOps::munmap),
                Move.onRegions("mprotect", 7, List.of(), true, MappingOps::mprotect),
                Move.onRegions("mlock", 1, List.of("mlock P 8p"), false, MappingOps::mlock)
                        .when(g -> !g.uffdRegistered),
                Move.onRegions("munlock", 0.7, List.of("munlock P 8p"), false, MappingOps::munlock),
                Move.onRegions("mremap (in place)", 1, List.of("mremap P 8p 4p"), false, MappingOps::mremapInPlace),
                Move.onRegions("mremap (move)", 1, List.of("mremap P 4p 4p maymove fixed arena+1G"), false,
                        g -> MappingOps.mremapMove(g, false))
                        .when(g -> !g.hugetlbMapped),
                Move.onRegions("mremap (dontunmap)", 0.5, List.of("mremap P 4p 4p maymove fixed arena+1G dontunmap"),
                        false, g -> MappingOps.mremapMove(g, true)),
                Move.onRegions("mremap (edges)", 1.5, List.of("mremap P 4p 4p maymove fixed arena+1G"), false,
                        MappingOps::mremapEdge)
                        .when(g -> !g.hugetlbMapped),
                Move.onRegions("mremap (old_len 0)", 0.3, List.of("mmap S 4p rw shared anon",
                        "mremap S 0 4p maymove fixed arena+1G"), false, MappingOps::mremapDuplicate)
                        .when(g -> !g.hugetlbMapped),
                Move.onRegions("mseal", 0.3, List.of("mseal P 8p"), false, MappingOps::mseal));
    }

    private static Move mmapWith(MmapFlag flag, String probeSize, double weight) {
        return new Move("mmap " + flag.word(), weight, List.of("mmap Q " + probeSize + " rw private anon " + flag.word()),
                false, g -> g.mappings < GenState.MAX_MAPPINGS && !g.uffdRegistered, g -> MappingOps.mmap(g, flag));
    }

    private static List<Move> processMoves(Consumer<GenState> childStatement) {
        return List.of(
                Move.onRegions("read", 5, List.of(), true, g -> ProcessOps.access(g, false)),
                Move.onRegions("write", 8, List.of(), true, g -> ProcessOps.access(g, true)),
                Move.onRegions("fork", 1, List.of("fork c"), true, ProcessOps::fork)
                        .when(g -> g.children.size() < GenState.MAX_CHILDREN),
                new Move("child statement", 4, List.of("fork c", "c: read P"), false,
                        g -> !g.liveChildren().isEmpty() && !g.regions.isEmpty(), childStatement),
                new Move("exit", 1.5, List.of("fork c", "c: exit"), false,
                        g -> g.liveChildren().stream().anyMatch(c -> !g.parents.contains(c)), ProcessOps::exit),
                Move.onRegions("uffd_register", 1, List.of("uffd_register P 8p wp async"), false,
                        ProcessOps::uffdRegister),
                Move.onRegions("uffd_wp", 1, List.of("uffd_register P 8p wp async", "uffd_wp P 8p on"), false,
                        ProcessOps::uffdWp),
                Move.onRegions("uffd_unregister", 0.5, List.of("uffd_register P 8p wp async", "uffd_unregister P 8p"),
                        false, ProcessOps::uffdUnregister),
                Move.onRegions("uffd_copy", 0.7, List.of("uffd_register P 8p missing wp async sigbus", "uffd_copy P 1p"),
                        false, ProcessOps::uffdFill).when(g -> g.uffdRegistered),
                new Move("uffd_close", 0.3, List.of("uffd_register P 8p wp async", "uffd_close"), false,
                        g -> true, ProcessOps::uffdClose),
                Move.onRegions("process_madvise", 1, List.of("process_madvise dontneed P 1p P+2p 1p"), true,
                        g -> ProcessOps.processMadvise(g, g.uffdRegistered ? PROCESS_MADVISE_AFTER_UFFD : PROCESS_MADVISE)),
                new Move("clear_refs", 0.5, List.of("clear_refs 4"), false, g -> true, ProcessOps::clearRefs),
                new Move("prctl memory_merge", 0.3, List.of("prctl memory_merge on"), false, g -> true,
                        ProcessOps::prctlMemoryMerge),
                new Move("uprobe", 0.3, List.of("file pf 8p", "uprobe pf 0"), false,
                        g -> g.files.stream().anyMatch(f -> !g.memfds.contains(f)),
                        ProcessOps::uprobe));
    }

    private static List<Move> observations() {
        return List.of(
                Move.onRegions("scan", 10, List.of(), true, g -> Observations.scan(g, false)),
                Move.onRegions("trace scan", 1, List.of(), false, g -> Observations.scan(g, true)),
                Move.onRegions("pagemap", 4, List.of(), true, Observations::pagemap),
                Move.onRegions("pagemap_raw", 1, List.of(), false, Observations::pagemapRaw),
                Move.onRegions("smaps", 4, List.of(), true, Observations::smaps),
                Move.onRegions("maps", 2, List.of(), false, Observations::maps),
                Move.onRegions("values", 2, List.of(), true, Observations::values),
                new Move("status", 2, List.of("status"), false, g -> true, Observations::status));
    }
}
