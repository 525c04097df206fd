package dev.mmsim.core;

/**
 * mmap()/mprotect() protection bits (PROT_READ, PROT_WRITE, PROT_EXEC) and their scenario spelling:
 * {@code none} or letters from r, w, x in that order.
 */
public record Prot(int bits) {
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;

    public boolean read() {
        return (bits & PROT_READ) != 0;
    }

    public boolean write() {
        return (bits & PROT_WRITE) != 0;
    }

    public boolean exec() {
        return (bits & PROT_EXEC) != 0;
    }

    /** Parses {@code none}, {@code r}, {@code rw}, {@code rx}, {@code rwx}, ...; null if malformed. */
    public static Prot parse(String s) {
        if (s.equals("none")) return new Prot(PROT_NONE);
        int bits = 0;
        int pos = 0;
        String order = "rwx";
        for (int i = 0; i < s.length(); i++) {
            int idx = order.indexOf(s.charAt(i), pos);
            if (idx < 0) return null;
            bits |= 1 << idx;
            pos = idx + 1;
        }
        return s.isEmpty() ? null : new Prot(bits);
    }

    @Override
    public String toString() {
        if (bits == 0) return "none";
        return (read() ? "r" : "") + (write() ? "w" : "") + (exec() ? "x" : "");
    }
}
