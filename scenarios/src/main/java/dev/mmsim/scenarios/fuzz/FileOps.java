package dev.mmsim.scenarios.fuzz;

import static dev.mmsim.scenarios.fuzz.GenState.pages;

import dev.mmsim.scenarios.lang.ReopenStmt;
import dev.mmsim.scenarios.lang.SealStmt;
import dev.mmsim.scenarios.lang.Size;
import dev.mmsim.scenarios.lang.TruncateStmt;

import java.util.LinkedHashSet;
import java.util.Set;

/** Writes the statements that change a mapped file: truncate, seal, reopen. */
final class FileOps {
    private FileOps() {}

    /** {@code truncate}: to nothing, to a few pages (the rest of a mapping then raises SIGBUS), or longer. */
    static void truncate(GenState g) {
        String file = g.files.get(g.rng.nextInt(g.files.size()));
        long size = switch (g.choose(20, 50, 30)) {
            case 0 -> 0;
            case 1 -> pages(g.between(1, 8));
            default -> pages(g.between(9, 600));
        };
        g.emit(new TruncateStmt(file, new Size(size)));
    }

    /** {@code seal}: one or two seals on a memfd. */
    static void seal(GenState g) {
        String memfd = g.memfds.get(g.rng.nextInt(g.memfds.size()));
        Set<String> seals = new LinkedHashSet<>();
        for (int n = g.between(1, 2); n > 0; n--) seals.add(SealStmt.WORDS.get(g.rng.nextInt(SealStmt.WORDS.size())));
        g.emit(new SealStmt(memfd, seals));
    }

    /** {@code reopen}: read-only (later shared writable mmaps of it fail) or read-write. */
    static void reopen(GenState g) {
        g.emit(new ReopenStmt(g.files.get(g.rng.nextInt(g.files.size())), g.chance(0.6)));
    }
}
