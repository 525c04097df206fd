package dev.mmsim.scenarios.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing a Debian kernel package from what apt-cache reports, without asking apt. */
class DebianKernelsTest {
    /** Two stanzas as {@code apt-cache show} prints them: the last one ends the text. */
    static final String SHOW = """
            Package: linux-image-6.12.117+deb12-cloud-amd64
            Source: linux-signed-6.12-amd64 (6.12.117+1~deb12u1)
            Version: 6.12.117-1~deb12u1
            Description: Linux 6.12 for x86-64 cloud (signed)
             The Linux kernel 6.12 and modules for use on x86-64 cloud.
             .
             Version: 9.9.9 (an indented line is not a field)

            Package: linux-image-6.12.118+deb12-cloud-amd64
            Version: 6.12.118-1~deb12u1
            SHA256: 5195b288
            """;

    static final String SHOW_61 = """
            Package: linux-image-6.1.0-56-cloud-amd64
            Version: 6.1.190-1

            Package: linux-image-6.1.0-57-cloud-amd64
            Version: 6.1.192-3
            """;

    @Test
    void everyStanzaIsReadTheLastOneToo() {
        List<DebianKernels.Candidate> c = DebianKernels.parseShow(SHOW, "6.12");
        assertThat(c).extracting(DebianKernels.Candidate::point).containsExactly(117, 118);
        assertThat(c.get(1).pkg()).isEqualTo("linux-image-6.12.118+deb12-cloud-amd64");
        assertThat(c.get(1).version()).isEqualTo("6.12.118-1~deb12u1");
    }

    @Test
    void theUpstreamPointComesFromTheVersionNotTheName() {
        assertThat(DebianKernels.upstreamPoint("6.1.192-3", "6.1")).isEqualTo(192);
        assertThat(DebianKernels.upstreamPoint("6.12.115-2~deb12u1", "6.12")).isEqualTo(115);
        assertThat(DebianKernels.upstreamPoint("6.12.115-2~deb12u1", "6.1")).isEqualTo(-1);
        List<DebianKernels.Candidate> c = DebianKernels.parseShow(SHOW_61, "6.1");
        assertThat(c).extracting(DebianKernels.Candidate::abi).containsExactly(56, 57);
    }

    @Test
    void imagePackagesNotTheMetaPackage() {
        assertThat(DebianKernels.isImagePackage("linux-image-6.12.118+deb12-cloud-amd64", "6.12")).isTrue();
        assertThat(DebianKernels.isImagePackage("linux-image-6.1.0-57-cloud-amd64", "6.1")).isTrue();
        assertThat(DebianKernels.isImagePackage("linux-image-6.12-cloud-amd64", "6.12")).isFalse();
        assertThat(DebianKernels.isImagePackage("linux-image-6.12.118+deb12-cloud-amd64", "6.1")).isFalse();
        assertThat(DebianKernels.isImagePackage("linux-image-6.1.0-57-cloud-amd64-dbg", "6.1")).isFalse();
    }

    @Test
    void theNewestOrTheRequestedPoint() throws VmException {
        List<DebianKernels.Candidate> c = DebianKernels.parseShow(SHOW, "6.12");
        assertThat(DebianKernels.choose(KernelSpec.parse("debian:6.12"), c).point()).isEqualTo(118);
        assertThat(DebianKernels.choose(KernelSpec.parse("debian:6.12.117"), c).point()).isEqualTo(117);
        assertThatThrownBy(() -> DebianKernels.choose(KernelSpec.parse("debian:6.12.5"), c))
                .hasMessage("no Debian kernel 6.12.5 (apt knows 6.12.117, 6.12.118)");
    }

    @Test
    void aMissingToolNamesThePackageThatBringsIt() {
        assertThatThrownBy(() -> Tools.require("mmsim-no-such-program", "qemu-system-x86"))
                .hasMessage("mmsim-no-such-program not found: install the Debian package qemu-system-x86"
                        + " (apt-get install qemu-system-x86)");
    }
}
