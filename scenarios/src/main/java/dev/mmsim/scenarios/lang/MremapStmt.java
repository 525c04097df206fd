package dev.mmsim.scenarios.lang;

import java.util.StringJoiner;

/**
 * {@code mremap ADDR OLDSIZE NEWSIZE [maymove] [fixed ADDR] [dontunmap] [as NAME]}: mremap(2).
 * The flags are passed as written; the kernel decides which combinations are valid.
 *
 * @param addr the old address
 * @param oldSize the old length
 * @param newSize the new length
 * @param maymove MREMAP_MAYMOVE
 * @param fixed the new address for MREMAP_FIXED, or null
 * @param dontunmap MREMAP_DONTUNMAP
 * @param as a name for the mapping at the result address, or null
 */
public record MremapStmt(Addr addr, Size oldSize, Size newSize, boolean maymove, Addr fixed,
        boolean dontunmap, String as) implements Stmt {
    @Override
    public String render() {
        StringJoiner out = new StringJoiner(" ");
        out.add("mremap").add(addr.render()).add(oldSize.render()).add(newSize.render());
        if (maymove) {
            out.add("maymove");
        }
        if (fixed != null) {
            out.add("fixed").add(fixed.render());
        }
        if (dontunmap) {
            out.add("dontunmap");
        }
        if (as != null) {
            out.add("as").add(as);
        }
        return out.toString();
    }

    @Override
    public String keyword() {
        return "mremap";
    }
}
