package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.Semantic;
import org.junit.jupiter.api.Test;

/** The kernel under test's release picks the profile the simulator follows. */
class ReleaseProfileTest {
    @Test
    void aDebianStableReleasePicksItsPointProfile() {
        KernelProfile p = ReleaseProfile.forRelease("6.12.118+deb12-cloud-amd64", false);
        assertThat(p.name()).isEqualTo("linux-6.12.118");
        assertThat(p.on(Semantic.PTE_NONE_WRITTEN)).isTrue();
        assertThat(p.on(Semantic.GUARD_REGIONS)).isFalse();
        assertThat(ReleaseProfile.forRelease("6.12.100+deb12-cloud-amd64", false).on(Semantic.PTE_NONE_WRITTEN)).isFalse();
    }

    @Test
    void aReleaseWithoutPointIsMainline() {
        assertThat(ReleaseProfile.forRelease("6.15", false).name()).isEqualTo("linux-6.15");
        assertThat(ReleaseProfile.forRelease("6.1.0-57-cloud-amd64", false).name()).isEqualTo("linux-6.1");
    }

    @Test
    void aKernelShowingVmMaybeGuardBeforeItsReleaseCarriesBackports() {
        assertThat(ReleaseProfile.forRelease("6.18.44-fc-v1272", true).name()).isEqualTo(KernelProfile.NEWEST);
        assertThat(ReleaseProfile.forRelease("6.18.44-fc-v1272", false).name()).isEqualTo("linux-6.18.44");
    }

    @Test
    void newerThanEveryProfileIsNewestOlderIsAnErrorNamingTheNearest() {
        assertThat(ReleaseProfile.forRelease("7.2.0-rc1", false).name()).isEqualTo(KernelProfile.NEWEST);
        assertThatThrownBy(() -> ReleaseProfile.forRelease("5.15.0-100-generic", false))
                .hasMessageContaining("no profile for Linux 5.15")
                .hasMessageContaining("the nearest is linux-6." + KernelProfile.OLDEST_MINOR);
        assertThatThrownBy(() -> ReleaseProfile.forRelease("weird", false)).hasMessageContaining("cannot read a version");
    }
}
