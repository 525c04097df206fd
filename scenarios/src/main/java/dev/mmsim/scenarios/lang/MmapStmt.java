package dev.mmsim.scenarios.lang;

import dev.mmsim.core.Prot;
import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code mmap NAME SIZE PROT FLAG... [at ADDR] [align SIZE] [file F [off SIZE]]}: maps SIZE bytes
 * and names the mapping NAME.
 *
 * <p>The parser guarantees: exactly one of {@link MmapFlag#PRIVATE} and {@link MmapFlag#SHARED};
 * {@link MmapFlag#ANON} exactly when there is no file; {@link MmapFlag#FIXED} only with {@code at};
 * {@code off} only with {@code file}.
 *
 * @param name the new mapping's name
 * @param size the length
 * @param prot the protection
 * @param flags the flag words
 * @param at the address to map at, or null to let the arena place it
 * @param align the alignment of an arena-placed mapping, or null for the default (one page)
 * @param file the file to map, or null for anonymous memory
 * @param off the offset into the file, or null for 0
 */
public record MmapStmt(String name, Size size, Prot prot, Set<MmapFlag> flags, Addr at, Size align,
        String file, Size off) implements Stmt {
    /** Copies the flag set. */
    public MmapStmt {
        flags = Set.copyOf(flags);
    }

    @Override
    public String render() {
        StringJoiner out = new StringJoiner(" ");
        out.add("mmap").add(name).add(size.render()).add(prot.toString());
        for (MmapFlag flag : MmapFlag.values()) {
            if (flags.contains(flag)) {
                out.add(flag.word());
            }
        }
        if (at != null) {
            out.add("at").add(at.render());
        }
        if (align != null) {
            out.add("align").add(align.render());
        }
        if (file != null) {
            out.add("file").add(file);
        }
        if (off != null) {
            out.add("off").add(off.render());
        }
        return out.toString();
    }

    @Override
    public String keyword() {
        return "mmap";
    }
}
