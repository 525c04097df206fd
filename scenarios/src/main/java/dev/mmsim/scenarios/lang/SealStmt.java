package dev.mmsim.scenarios.lang;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code seal F SEAL...}: fcntl(F_ADD_SEALS) on a memfd, with seals among {@code seal shrink grow
 * write future_write} (F_SEAL_*).
 *
 * @param file the memfd
 * @param seals the seal words, in canonical order
 */
public record SealStmt(String file, Set<String> seals) implements Stmt {
    /** The seal words in F_SEAL_* bit order. */
    public static final List<String> WORDS = List.of("seal", "shrink", "grow", "write", "future_write");

    /** The F_SEAL_* bits of the seals. */
    public int bits() {
        int bits = 0;
        for (int i = 0; i < WORDS.size(); i++) {
            if (seals.contains(WORDS.get(i))) {
                bits |= 1 << i;
            }
        }
        return bits;
    }

    @Override
    public String render() {
        return "seal " + file + " " + WORDS.stream().filter(seals::contains).collect(Collectors.joining(" "));
    }

    @Override
    public String keyword() {
        return "seal";
    }
}
