package dev.mmsim.scenarios.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatTest {
    @Test
    void medianMinMaxAndSpreadInTheRowsUnit() {
        Stat odd = Stat.of(new long[] {3_000_000, 1_000_000, 2_000_000}, 1e6);
        assertThat(odd.median()).isEqualTo(2.0);
        assertThat(odd.min()).isEqualTo(1.0);
        assertThat(odd.max()).isEqualTo(3.0);
        assertThat(odd.spread()).isEqualTo(1.0);
        assertThat(Stat.of(new long[] {4, 1, 2, 3}, 1).median()).isEqualTo(2.5);
    }
}
