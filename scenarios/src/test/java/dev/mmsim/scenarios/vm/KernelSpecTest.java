package dev.mmsim.scenarios.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The three forms of --kernel. */
class KernelSpecTest {
    @Test
    void hostImageAndDebianSeries() {
        assertThat(KernelSpec.parse("host").kind()).isEqualTo(KernelSpec.Kind.HOST);
        KernelSpec img = KernelSpec.parse("./arch/x86/boot/bzImage");
        assertThat(img.kind()).isEqualTo(KernelSpec.Kind.IMAGE);
        assertThat(img.image()).isEqualTo(Path.of("./arch/x86/boot/bzImage"));
        KernelSpec deb = KernelSpec.parse("debian:6.12");
        assertThat(deb.kind()).isEqualTo(KernelSpec.Kind.DEBIAN);
        assertThat(deb.series()).isEqualTo("6.12");
        assertThat(deb.point()).isEqualTo(-1);
        KernelSpec point = KernelSpec.parse("debian:6.12.111");
        assertThat(point.series()).isEqualTo("6.12");
        assertThat(point.point()).isEqualTo(111);
        assertThat(KernelSpec.parse("debian:6.1").series()).isEqualTo("6.1");
    }

    @Test
    void malformedNamesSayWhatIsExpected() {
        assertThatThrownBy(() -> KernelSpec.parse("debian:six")).hasMessageContaining("debian:SERIES or debian:SERIES.POINT");
        assertThatThrownBy(() -> KernelSpec.parse("debian:6.12.x")).hasMessageContaining("debian:6.12.111");
        assertThatThrownBy(() -> KernelSpec.parse("fedora:42")).hasMessageContaining("host, a kernel image path or debian:");
        assertThatThrownBy(() -> KernelSpec.parse("")).hasMessageContaining("expected host");
    }
}
