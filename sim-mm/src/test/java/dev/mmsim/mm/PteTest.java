package dev.mmsim.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The packed encoding and the decoded view agree: encode(decode(raw)) == raw. */
class PteTest {

    static Stream<Long> samples() {
        SplittableRandom rnd = new SplittableRandom(42);
        Stream<Long> fixed = Stream.of(0L,
                PteBits.mkPresent(7, true, true, false),
                PteBits.mkPresent(FrameTable.ZERO_PFN, false, false, true),
                PteBits.mkMarker(PteBits.PTE_MARKER_GUARD),
                PteBits.mkMarker(PteBits.PTE_MARKER_UFFD_WP),
                PteBits.mkMarker(PteBits.PTE_MARKER_GUARD | PteBits.PTE_MARKER_UFFD_WP),
                PteBits.mkSwap(0, 12345) | PteBits._PAGE_SWP_EXCLUSIVE);
        Stream<Long> random = IntStream.range(0, 200).mapToObj(i -> {
            long pfn = rnd.nextLong(1, 1L << 40);
            long flags = rnd.nextLong() & (PteBits._PAGE_RW | PteBits._PAGE_USER | PteBits._PAGE_ACCESSED
                    | PteBits._PAGE_DIRTY | PteBits._PAGE_SPECIAL | PteBits._PAGE_UFFD_WP | PteBits._PAGE_SOFT_DIRTY);
            return (i % 2 == 0) ? PteBits._PAGE_PRESENT | (pfn << PteBits.PFN_SHIFT) | flags
                    : PteBits.mkSwap(rnd.nextInt(0, 31), rnd.nextLong(1, 1L << 40))
                    | (rnd.nextLong() & (PteBits._PAGE_SWP_UFFD_WP | PteBits._PAGE_SWP_SOFT_DIRTY
                    | PteBits._PAGE_SWP_EXCLUSIVE));
        });
        return Stream.concat(fixed, random);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void encodeOfDecodeIsIdentity(long raw) {
        assertThat(Pte.decode(raw).encode()).isEqualTo(raw);
    }

    @Test
    void decodedKinds() {
        assertThat(Pte.decode(0)).isInstanceOf(Pte.None.class);
        assertThat(Pte.decode(PteBits.mkMarker(PteBits.PTE_MARKER_GUARD)))
                .isInstanceOfSatisfying(Pte.Marker.class, m -> assertThat(m.guard()).isTrue());
        assertThat(Pte.decode(PteBits.mkPresent(9, true, false, false)))
                .isInstanceOfSatisfying(Pte.Present.class, p -> assertThat(p.pfn()).isEqualTo(9));
        assertThat(PteBits.isGuardMarker(PteBits.mkMarker(PteBits.PTE_MARKER_UFFD_WP))).isFalse();
        assertThat(PteBits.pteSwpUffdWpAny(PteBits.mkMarker(PteBits.PTE_MARKER_UFFD_WP))).isTrue();
    }
}
