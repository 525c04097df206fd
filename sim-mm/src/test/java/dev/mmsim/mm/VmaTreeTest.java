package dev.mmsim.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Semantics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The VMA tree against a TreeMap keyed by start: seeded sequences of inserts (by search, or beside
 * a neighbour as vma_iter_store_new() stores them), erases and range changes (vma_set_range() that
 * shrinks or grows a VMA into its gap), with every query checked after each step, and an iterator
 * kept across all the steps (its cursor must stay right whatever changed). Enough VMAs to split
 * leaves and to empty them again.
 */
class VmaTreeTest {
    static LongStream seeds() {
        return LongStream.rangeClosed(1, 40);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theTreeAnswersAsASortedMapDoes(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));
        VmaTree tree = mm.tree();
        TreeMap<Long, Vma> ref = new TreeMap<>();
        int slots = 2000;
        int steps = 1500 + random.nextInt(1500);
        VmaIterator kept = new VmaIterator(mm, 0);
        for (int step = 0; step < steps; step++) {
            int op = random.nextInt(10);
            long page = random.nextInt(slots);
            long addr = page << Geometry.PAGE_SHIFT;
            Vma at = floor(ref, addr);
            if (op < 5) {
                if (at != null && at.end() > addr) continue;
                Map.Entry<Long, Vma> up = ref.higherEntry(addr);
                long limit = up == null ? (long) slots << Geometry.PAGE_SHIFT : up.getKey();
                long len = Math.min(limit - addr, (1 + random.nextInt(4)) << Geometry.PAGE_SHIFT);
                if (len <= 0) continue;
                Vma v = new Vma(addr, addr + len, 0, page, null);
                // beside the VMA just below or just above, or beside the first (where v may not
                // fit, and the tree searches instead)
                int how = random.nextInt(8);
                Map.Entry<Long, Vma> beside = how == 0 ? ref.firstEntry() : how < 4 ? ref.lowerEntry(addr) : ref.higherEntry(addr);
                if (beside != null && random.nextInt(4) > 0) tree.insertBeside(beside.getValue(), v);
                else mm.insert(v);
                ref.put(addr, v);
            } else if (op < 8) {
                if (at == null) continue;
                mm.remove(at);
                ref.remove(at.start());
            } else if (at != null) {
                // move one bound into the neighbouring gap, or shrink
                Map.Entry<Long, Vma> up = ref.higherEntry(at.start());
                Map.Entry<Long, Vma> down = ref.lowerEntry(at.start());
                long lo = down == null ? 0 : down.getValue().end();
                long hi = up == null ? (long) slots << Geometry.PAGE_SHIFT : up.getKey();
                long start = lo + (random.nextLong(Math.max(1, (at.end() - lo) >>> Geometry.PAGE_SHIFT)) << Geometry.PAGE_SHIFT);
                if (start >= at.end()) start = at.start();
                long end = start + ((1 + random.nextLong(Math.max(1, (hi - start) >>> Geometry.PAGE_SHIFT))) << Geometry.PAGE_SHIFT);
                end = Math.min(end, hi);
                ref.remove(at.start());
                at.setRange(start, end, at.pgoff());
                ref.put(start, at);
            }
            check(mm, tree, ref, random);
            // the kept iterator, its cursor wherever the last step left it
            long from = (long) random.nextInt(2100) << Geometry.PAGE_SHIFT;
            Map.Entry<Long, Vma> f = ref.floorEntry(from);
            Map.Entry<Long, Vma> h = ref.higherEntry(from);
            Vma expect = f != null && f.getValue().end() > from ? f.getValue() : h == null ? null : h.getValue();
            kept.set(from);
            assertThat(kept.next()).isSameAs(expect);
        }
    }

    private static Vma floor(TreeMap<Long, Vma> ref, long addr) {
        Map.Entry<Long, Vma> e = ref.floorEntry(addr);
        return e == null ? null : e.getValue();
    }

    private static void check(Mm mm, VmaTree tree, TreeMap<Long, Vma> ref, SplittableRandom random) {
        assertThat(tree.validate()).isEmpty();
        assertThat(mm.mapCount()).isEqualTo(ref.size());
        assertThat(mm.vmas()).containsExactlyElementsOf(ref.values());
        long addr = (long) random.nextInt(2100) << Geometry.PAGE_SHIFT;
        Vma f = floor(ref, addr);
        Vma expectLookup = f != null && f.end() > addr ? f : null;
        Map.Entry<Long, Vma> h = ref.higherEntry(addr);
        Vma expectFind = expectLookup != null ? expectLookup : h == null ? null : h.getValue();
        assertThat(mm.vmaLookup(addr)).isSameAs(expectLookup);
        assertThat(mm.findVma(addr)).isSameAs(expectFind);
        assertThat(mm.last()).isSameAs(ref.isEmpty() ? null : ref.lastEntry().getValue());
        if (expectFind != null) {
            Map.Entry<Long, Vma> n = ref.higherEntry(expectFind.start());
            Map.Entry<Long, Vma> p = ref.lowerEntry(expectFind.start());
            assertThat(mm.next(expectFind)).isSameAs(n == null ? null : n.getValue());
            assertThat(mm.prev(expectFind)).isSameAs(p == null ? null : p.getValue());
        }
        // the iterator over [addr, addr + 300 pages), then one step back
        long max = addr + (300L << Geometry.PAGE_SHIFT);
        List<Vma> expect = new ArrayList<>();
        for (Vma v = expectFind; v != null && v.start() < max; ) {
            expect.add(v);
            Map.Entry<Long, Vma> n = ref.higherEntry(v.start());
            v = n == null ? null : n.getValue();
        }
        VmaIterator vmi = new VmaIterator(mm, addr);
        List<Vma> got = new ArrayList<>();
        for (Vma v = vmi.find(max); v != null; v = vmi.find(max)) got.add(v);
        assertThat(got).containsExactlyElementsOf(expect);
        assertThat(mm.vmas(addr, max)).containsExactlyElementsOf(expect);
        if (expect.size() >= 2) {
            VmaIterator back = new VmaIterator(mm, addr);
            back.find(max);
            back.find(max);
            assertThat(back.prev()).isSameAs(expect.get(0));
        }
    }
}
