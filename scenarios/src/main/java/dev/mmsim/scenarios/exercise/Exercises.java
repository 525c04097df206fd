package dev.mmsim.scenarios.exercise;

import java.util.Random;

/**
 * Generates exercises. Every choice comes from one {@link Random} seeded with the seed and the
 * topic, so the same seed and topic give the same exercise on any machine; without a topic the
 * seed picks one.
 */
public final class Exercises {
    private Exercises() {}

    /** The exercise for {@code seed} on {@code topic} (null: the seed picks the topic). */
    public static Exercise generate(long seed, Topic topic) {
        if (topic == null) topic = Topic.values()[(int) Math.floorMod(seed, (long) Topic.values().length)];
        Random r = new Random(seed * 31 + topic.ordinal());
        Exercise.Builder b = new Exercise.Builder("exercise/" + topic.word);
        switch (topic) {
            case VMAS -> vmas(r, b);
            case FAULTS -> faults(r, b);
            case GUARD -> guard(r, b);
            case SCAN -> scan(r, b);
            case THP -> thp(r, b);
            case SWAP -> swap(r, b);
        }
        return b.build(topic, seed);
    }

    /** An integer in [lo, hi]. */
    private static int between(Random r, int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    private static String at(String name, int page) {
        return page == 0 ? name : name + "+" + page + "p";
    }

    /** Splits by mprotect or a flag advice, then the change undone (merge) or a neighbour changed too. */
    private static void vmas(Random r, Exercise.Builder b) {
        int n = between(r, 8, 16);
        int start = between(r, 1, n - 4);
        int len = between(r, 1, n - start - 2);
        b.does("mmap A " + n + "p rw private anon");
        if (r.nextBoolean()) b.does("write A " + n + "p");
        boolean advice = r.nextBoolean();
        String change = advice ? "madvise " + at("A", start) + " " + len + "p dontfork"
                : "mprotect " + at("A", start) + " " + len + "p r";
        String undo = advice ? "madvise " + at("A", start) + " " + len + "p dofork"
                : "mprotect " + at("A", start) + " " + len + "p rw";
        b.does(change);
        b.asks("maps");
        switch (r.nextInt(3)) {
            case 0 -> b.does(undo).asks("maps").asks("smaps");
            case 1 -> {
                // the same change on the rest of the mapping: everything merges again, with the new flags
                b.does(change.replace(at("A", start) + " " + len + "p", "A " + n + "p")).asks("maps").asks("smaps");
            }
            default -> {
                int hole = start + len;
                b.does("munmap " + at("A", hole) + " 1p").asks("maps");
                b.does("mmap B 1p rw private anon at " + at("A", hole)).asks("maps");
            }
        }
    }

    /** Reads and writes here and there in a few 2 MiB ranges, then which tables exist. */
    private static void faults(Random r, Exercise.Builder b) {
        int mb = 2 * between(r, 1, 3);
        int pages = mb * 256;
        b.does("mmap A " + mb + "M rw private anon");
        int touches = between(r, 2, 4);
        int last = 0;
        for (int i = 0; i < touches; i++) {
            int page = r.nextInt(pages);
            last = page;
            b.does((r.nextInt(3) == 0 ? "read " : "write ") + at("A", page));
        }
        b.asks("trace scan A " + mb + "M");
        b.asks("pagemap " + at("A", Math.max(0, Math.min(last - 1, pages - 3))) + " 3p");
        b.asks("smaps");
    }

    /** Guards installed in written memory, accesses around them, and what their removal leaves. */
    private static void guard(Random r, Exercise.Builder b) {
        int n = between(r, 8, 16);
        int start = between(r, 1, n - 4);
        int len = between(r, 1, 3);
        int written = between(r, start, n);
        b.does("mmap A " + n + "p rw private anon");
        b.does("write A " + written + "p");
        b.does("madvise " + at("A", start) + " " + len + "p guard_install");
        b.asks("read " + at("A", start + r.nextInt(len)));
        b.asks("write " + at("A", start + len));
        b.asks("scan A " + n + "p");
        b.asks("smaps");
        if (r.nextBoolean()) b.does("madvise " + at("A", start) + " " + len + "p dontneed").asks("pagemap " + at("A", start) + " " + len + "p");
        b.does("madvise " + at("A", start) + " " + len + "p guard_remove");
        b.asks("read " + at("A", start));
        b.asks("smaps");
    }

    /** A pattern of written pages, then scans with a mask, a return mask, a vec and a max. */
    private static void scan(Random r, Exercise.Builder b) {
        int n = between(r, 12, 24);
        b.does("mmap A " + n + "p rw private anon");
        int step = between(r, 2, 3);
        int from = r.nextInt(step);
        for (int p = from; p < n; p += step) b.does("write " + at("A", p));
        if (r.nextBoolean()) b.does("madvise " + at("A", n - 2) + " 1p guard_install");
        b.asks("scan A " + n + "p");
        b.asks("scan A " + n + "p mask present");
        b.asks("scan A " + n + "p return present");
        b.asks("scan A " + n + "p mask present vec " + between(r, 1, 3));
        b.asks("scan A " + n + "p mask present max " + between(r, 2, 5));
    }

    /** A THP fault, then an operation over all or part of the leaf. */
    private static void thp(Random r, Exercise.Builder b) {
        b.does("requires thp");
        b.does("mmap H 4M rw private anon align 2M");
        b.does("madvise H 4M hugepage");
        b.does("write " + at("H", r.nextInt(512)));
        b.asks("trace scan H 4M");
        int page = r.nextInt(508);
        String op = switch (r.nextInt(4)) {
            case 0 -> "madvise " + at("H", page) + " " + between(r, 1, 4) + "p dontneed";
            case 1 -> "mprotect " + at("H", page) + " " + between(r, 1, 4) + "p r";
            case 2 -> "mprotect H 2M r";
            default -> "madvise H 2M dontneed";
        };
        b.does(op);
        b.asks("trace scan H 4M");
        b.asks("smaps");
    }

    /** Pages written, some paged out, one brought back. */
    private static void swap(Random r, Exercise.Builder b) {
        int n = between(r, 6, 12);
        int written = between(r, 3, n);
        int out = between(r, 0, written - 2);
        int len = between(r, 1, written - out);
        b.does("requires swap");
        b.does("mmap A " + n + "p rw private anon");
        b.does("write A " + written + "p");
        b.does("madvise " + at("A", out) + " " + len + "p pageout");
        b.asks("scan A " + n + "p");
        b.asks("smaps");
        b.does((r.nextBoolean() ? "read " : "write ") + at("A", out + r.nextInt(len)));
        b.asks("pagemap A " + n + "p");
        b.asks("smaps");
    }
}
