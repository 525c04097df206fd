package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Table allocation and free_pgd_range()'s floor/ceiling rules. */
class PageTablesTest {
    static final long BASE = 0x100000000000L;

    @Test
    void allocatesEveryLevelOnDemand() {
        PageTables pt = new PageTables();
        assertThat(pt.pteTable(BASE)).isNull();
        pt.setPte(BASE + PAGE_SIZE, 5);
        assertThat(pt.pte(BASE + PAGE_SIZE)).isEqualTo(5);
        assertThat(pt.pteTable(BASE + PMD_SIZE - PAGE_SIZE)).isSameAs(pt.pteTable(BASE));
        assertThat(pt.pteTable(BASE + PMD_SIZE)).isNull();
        assertThat(pt.pteTableCount()).isEqualTo(1);
    }

    @Test
    void freesOnlyTablesNothingElseUses() {
        PageTables pt = new PageTables();
        pt.setPte(BASE, 1);
        pt.setPte(BASE + PMD_SIZE, 1);
        pt.setPte(BASE + 2 * PMD_SIZE, 1);
        // a neighbour ends inside the first PMD range and another starts in the third:
        pt.freePgdRange(BASE + PAGE_SIZE * 10, BASE + 2 * PMD_SIZE + PAGE_SIZE * 10,
                BASE + PAGE_SIZE * 5, BASE + 2 * PMD_SIZE + PAGE_SIZE * 20);
        assertThat(pt.pteTable(BASE)).isNotNull();
        assertThat(pt.pteTable(BASE + PMD_SIZE)).isNull();
        assertThat(pt.pteTable(BASE + 2 * PMD_SIZE)).isNotNull();
        assertThat(pt.pteTableCount()).isEqualTo(2);
    }

    @Test
    void freesUpperTablesWhenTheWholeRangeIsFree() {
        PageTables pt = new PageTables();
        pt.setPte(BASE, 1);
        pt.freePgdRange(BASE, BASE + PAGE_SIZE, 0, 0);
        assertThat(pt.pmdTable(BASE)).isNull();
        assertThat(pt.pgd()[pgdIndex(BASE)]).isNull();
        assertThat(pt.pteTableCount()).isZero();
    }
}
