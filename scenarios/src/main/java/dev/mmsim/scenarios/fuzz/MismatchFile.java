package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.run.Comparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a mismatch as a scenario file that {@code mmsim diff} can replay: a comment with the seed
 * (and how to regenerate the original scenario), the signature, the known gaps whose statements were
 * taken out first, the first difference and both transcripts, then the minimal scenario itself.
 */
final class MismatchFile {
    private MismatchFile() {}

    /** Writes {@code mismatch-seed-SEED.scn} in dir and returns its path. */
    static Path write(Path dir, FuzzCase minimal, Comparison c, boolean reproducible, String regenerate,
            List<KnownGap> removedFirst, FuzzCase original) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("mismatch-seed-" + Long.toUnsignedString(minimal.seed()) + ".scn");
        StringBuilder sb = new StringBuilder();
        sb.append("# mmsim fuzz: the simulator and the kernel differ on this scenario.\n");
        if (original.fromSeedAlone()) {
            sb.append("# seed: ").append(Long.toUnsignedString(minimal.seed()))
                    .append(" (the scenario before shrinking: ").append(regenerate).append(")\n");
        } else {
            sb.append("# seed: ").append(Long.toUnsignedString(minimal.seed()))
                    .append(", a mutation of the coverage-guided corpus (").append(original.origin())
                    .append("), which no seed regenerates; the scenario before shrinking:\n");
            sb.append(comment(original.text()));
        }
        sb.append("# signature: ").append(Signature.of(c).render()).append('\n');
        for (KnownGap g : removedFirst) {
            sb.append("# without the statements of known gap ").append(g.name()).append(", which explain part of it\n");
        }
        if (!reproducible) sb.append("# NOT REPRODUCIBLE: a second replay of the original scenario did not differ so\n");
        sb.append(comment(c.explain())).append("#\n");
        sb.append("# simulator transcript:\n").append(comment(c.sim().render()));
        sb.append("# kernel transcript:\n").append(comment(c.kernel().render()));
        sb.append('\n').append(minimal.text());
        Files.writeString(file, sb.toString());
        return file;
    }

    private static String comment(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) sb.append(line.startsWith("#") ? "#" : "# ").append(line).append('\n');
        return sb.toString();
    }
}
