package dev.mmsim.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How switches, profiles, the host profile and an extension combine. */
class SemanticsTest {
    static final HostProfile NO_ZERO_PAGE = new HostProfile("test", false, "madvise", false, true);

    @Test
    void theZeroPageFollowsTheHostUntilSetExplicitly() {
        Semantics s = new Semantics(KernelProfile.linux(7), NO_ZERO_PAGE);
        assertThat(s.on(Semantic.ZERO_PAGE)).isFalse();
        assertThat(Semantics.newest(HostProfile.UPSTREAM).on(Semantic.ZERO_PAGE)).isTrue();
        s.set(Semantic.ZERO_PAGE, true);
        assertThat(s.on(Semantic.ZERO_PAGE)).isTrue();
        assertThat(s.describe()).isEqualTo("linux-6.7 zero_page=on");
    }

    @Test
    void softDirtyIsAHostPropertyRenderedOnlyWhenOn() {
        assertThat(Semantics.newest(NO_ZERO_PAGE).softDirtyConfigured()).isFalse();
        HostProfile sd = HostProfile.parse("soft_dirty=on,zero_page=off");
        assertThat(sd.softDirty()).isTrue();
        assertThat(Semantics.newest(sd).softDirtyConfigured()).isTrue();
        assertThat(sd.render()).isEqualTo("linux upstream zero_page=off thp=madvise swap=no hugetlb=yes soft_dirty=on");
        assertThat(HostProfile.parse(sd.render())).isEqualTo(sd);
        assertThat(HostProfile.UPSTREAM.render()).doesNotContain("soft_dirty");
        assertThat(HostProfile.parse(HostProfile.UPSTREAM.render())).isEqualTo(HostProfile.UPSTREAM);
        assertThat(NO_ZERO_PAGE.withSoftDirty(true).withSoftDirty(false)).isEqualTo(NO_ZERO_PAGE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HostProfile.parse("soft_dirty=maybe"))
                .hasMessage("soft_dirty must be on or off, got 'maybe'");
    }

    @Test
    void fivePageTableLevelsAreAHostPropertyRenderedOnlyWhenOn() {
        HostProfile la57 = HostProfile.parse("la57=on,zero_page=off");
        assertThat(la57.render()).isEqualTo("linux upstream zero_page=off thp=madvise swap=no hugetlb=yes la57=on");
        assertThat(HostProfile.parse(la57.render())).isEqualTo(la57);
        assertThat(la57.withSoftDirty(true).la57()).isTrue();
        assertThat(la57.taskSizeMax()).isEqualTo((1L << 56) - 4096);
        assertThat(NO_ZERO_PAGE.taskSizeMax()).isEqualTo((1L << 47) - 4096);
        assertThat(HostProfile.UPSTREAM.render()).doesNotContain("la57");
    }

    @Test
    void onlyUnchangedNewestSemanticsAreExactlyNewest() {
        assertThat(Semantics.newest(NO_ZERO_PAGE).isExactly(KernelProfile.newest())).isTrue();
        assertThat(new Semantics(KernelProfile.linux(19), NO_ZERO_PAGE).isExactly(KernelProfile.newest())).isFalse();
        Semantics switched = Semantics.newest(NO_ZERO_PAGE);
        switched.set(Semantic.STICKY_FLAGS, false);
        assertThat(switched.isExactly(KernelProfile.newest())).isFalse();
        Semantics extended = Semantics.newest(NO_ZERO_PAGE);
        extended.extension(new SemanticExtension() {});
        assertThat(extended.isExactly(KernelProfile.newest())).isFalse();
    }

    @Test
    void describeNamesTheProfileAndWhatDiffersFromIt() {
        Semantics s = new Semantics(KernelProfile.linux(18), HostProfile.UPSTREAM);
        assertThat(s.describe()).isEqualTo("linux-6.18");
        s.set(Semantic.STICKY_FLAGS, true);
        s.set(Semantic.SCAN_GUARD, true);
        assertThat(s.describe()).isEqualTo("linux-6.18 sticky_flags=on");
    }

    @Test
    void aChoiceReplacesTheScenarioProfileThenSetsSwitches() {
        SemanticChoice choice = new SemanticChoice(KernelProfile.linux(16),
                java.util.Map.of(Semantic.MAYBE_GUARD, true), SemanticExtension.KERNEL);
        Semantics s = choice.semantics("newest", HostProfile.UPSTREAM);
        assertThat(s.profile().name()).isEqualTo("linux-6.16");
        assertThat(s.on(Semantic.MAYBE_GUARD)).isTrue();
        assertThat(s.on(Semantic.STICKY_FLAGS)).isFalse();
        assertThat(SemanticChoice.NONE.semantics("linux-6.12", HostProfile.UPSTREAM).on(Semantic.GUARD_REGIONS)).isFalse();
    }
}
