package dev.mmsim.scenarios.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;

import org.junit.jupiter.api.Test;

/** The op mix is the same sequence the agent's time_ops generates (PROTOCOL.md), and stays in its region. */
class OpMixTest {
    private static final long BASE = 0x100000000000L;
    private static final long REGION = 64L << 20;

    /** The first four operations for seed 1, as the C generator in agent_bench.c produces them. */
    @Test
    void matchesTheAgentsGenerator() {
        OpMix mix = OpMix.generate(BASE, REGION, 1, 4);
        assertOp(mix, 0, OpMix.Kind.MPROTECT, 14174, 1);
        assertThat(mix.prot(0)).isEqualTo(Prot.PROT_READ | Prot.PROT_WRITE);
        assertOp(mix, 1, OpMix.Kind.MADVISE, 15484, 10);
        assertThat(mix.advice(1)).isEqualTo(Madvise.DOFORK);
        assertOp(mix, 2, OpMix.Kind.MADVISE, 7621, 8);
        assertThat(mix.advice(2)).isEqualTo(Madvise.GUARD_REMOVE);
        assertOp(mix, 3, OpMix.Kind.MADVISE, 6568, 3);
        assertThat(mix.advice(3)).isEqualTo(Madvise.SEQUENTIAL);
    }

    private static void assertOp(OpMix mix, int i, OpMix.Kind kind, long page, long pages) {
        assertThat(mix.kind(i)).isEqualTo(kind);
        assertThat(mix.addr(i)).isEqualTo(BASE + page * Geometry.PAGE_SIZE);
        assertThat(mix.len(i)).isEqualTo(pages * Geometry.PAGE_SIZE);
    }

    @Test
    void everyRangeIsInsideTheRegionBelowItsLastPage() {
        OpMix mix = OpMix.generate(BASE, REGION, 42, 10_000);
        for (int i = 0; i < mix.size(); i++) {
            assertThat(mix.len(i)).isBetween(Geometry.PAGE_SIZE, 16 * Geometry.PAGE_SIZE);
            assertThat(mix.addr(i)).isGreaterThanOrEqualTo(BASE);
            assertThat(mix.addr(i) + mix.len(i)).isLessThanOrEqualTo(BASE + REGION - Geometry.PAGE_SIZE);
        }
    }
}
