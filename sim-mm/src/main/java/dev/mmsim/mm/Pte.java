package dev.mmsim.mm;

import static dev.mmsim.mm.PteBits.*;

/**
 * The decoded view of one page-table entry, for transcripts, tests and teaching views. Tables
 * store entries packed (see {@link PteBits}); {@link #decode(long)} and {@link #encode()} convert
 * without loss: {@code decode(raw).encode() == raw}.
 */
public sealed interface Pte permits Pte.None, Pte.Present, Pte.Swap, Pte.Marker {

    /** The packed form. */
    long encode();

    /** pte_none(): no entry. */
    record None() implements Pte {
        @Override
        public long encode() {
            return 0;
        }
    }

    /** A present entry mapping {@code pfn}; {@code special} marks the zero page. */
    record Present(long pfn, boolean write, boolean user, boolean accessed, boolean dirty, boolean special,
                   boolean uffdWp, boolean softDirty) implements Pte {
        @Override
        public long encode() {
            long v = _PAGE_PRESENT | (pfn << PFN_SHIFT);
            if (write) v |= _PAGE_RW;
            if (user) v |= _PAGE_USER;
            if (accessed) v |= _PAGE_ACCESSED;
            if (dirty) v |= _PAGE_DIRTY;
            if (special) v |= _PAGE_SPECIAL;
            if (uffdWp) v |= _PAGE_UFFD_WP;
            if (softDirty) v |= _PAGE_SOFT_DIRTY;
            return v;
        }
    }

    /** A swap entry (swap type 0..30) with its per-entry bits. */
    record Swap(int type, long offset, boolean exclusive, boolean uffdWp, boolean softDirty) implements Pte {
        @Override
        public long encode() {
            long v = mkSwap(type, offset);
            if (exclusive) v |= _PAGE_SWP_EXCLUSIVE;
            if (uffdWp) v |= _PAGE_SWP_UFFD_WP;
            if (softDirty) v |= _PAGE_SWP_SOFT_DIRTY;
            return v;
        }
    }

    /** A PTE marker: a guard region, a uffd-wp marker on an empty entry, or both bits. */
    record Marker(long markerBits, boolean swpBits1, boolean swpBits2, boolean swpBits3) implements Pte {
        public boolean guard() {
            return (markerBits & PTE_MARKER_GUARD) != 0;
        }

        public boolean uffdWp() {
            return (markerBits & PTE_MARKER_UFFD_WP) != 0;
        }

        @Override
        public long encode() {
            long v = mkMarker(markerBits);
            if (swpBits1) v |= _PAGE_SWP_SOFT_DIRTY;
            if (swpBits2) v |= _PAGE_SWP_UFFD_WP;
            if (swpBits3) v |= _PAGE_SWP_EXCLUSIVE;
            return v;
        }
    }

    /** The decoded view of a packed entry, for teaching views and tests ({@code decode(raw).encode() == raw}). */
    static Pte decode(long raw) {
        if (pteNone(raw)) return new None();
        if (pteP(raw)) {
            return new Present(ptePfn(raw), pteWrite(raw), (raw & _PAGE_USER) != 0, (raw & _PAGE_ACCESSED) != 0,
                    pteDirty(raw), pteSpecial(raw), pteUffdWp(raw), pteSoftDirty(raw));
        }
        if (isPteMarker(raw)) {
            return new Marker(swpOffset(raw), pteSwpSoftDirty(raw), pteSwpUffdWp(raw), pteSwpExclusive(raw));
        }
        return new Swap(swpType(raw), swpOffset(raw), pteSwpExclusive(raw), pteSwpUffdWp(raw), pteSwpSoftDirty(raw));
    }

    /** A short human-readable form for teaching views: {@code present pfn=0x12 rw}, {@code guard}. */
    static String describe(long raw) {
        return switch (decode(raw)) {
            case None n -> "none";
            case Present p -> (p.special() ? "zero-page" : "present pfn=0x" + Long.toHexString(p.pfn()))
                    + (p.write() ? " rw" : " ro") + (p.dirty() ? " dirty" : "") + (p.uffdWp() ? " uffd-wp" : "");
            case Swap s -> "swap type=" + s.type() + " offset=0x" + Long.toHexString(s.offset())
                    + (s.uffdWp() ? " uffd-wp" : "");
            case Marker m -> "marker" + (m.guard() ? " guard" : "") + (m.uffdWp() ? " uffd-wp" : "");
        };
    }
}
