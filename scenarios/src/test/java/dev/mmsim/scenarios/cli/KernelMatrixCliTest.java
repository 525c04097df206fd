package dev.mmsim.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * --kernel on the command line: bad names are user errors; where QEMU and Debian's package index
 * are here, the matrix of two 6.12 point releases shows the stable fixes' provenance (semantics.md)
 * and the probe's JSON names the profile. Skipped with the reason where no VM can be booted.
 */
class KernelMatrixCliTest {
    static final String PTE_NONE = "scenarios/corpus/semantics/pte-none-written.scn";

    static Path corpusFile(String rel) {
        return Path.of(System.getProperty("mmsim.home", "..")).resolve(rel);
    }

    static void assumeQemu() {
        boolean qemu = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))) qemu = true;
        }
        Assumptions.assumeTrue(qemu, "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)");
    }

    /**
     * Whether the run could not have the kernels: apt knows no such package (no index, or the
     * registry no longer serves that point release) or the download failed.
     */
    static boolean unfetchable(CliTest.Run r) {
        return r.err().contains("known to apt") || r.err().contains("no Debian kernel")
                || r.err().contains("apt-get download");
    }

    @Test
    void badKernelNamesAreUserErrors() {
        CliTest.Run r = CliTest.run("probe", "--kernel", "fedora:42");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("expected host, a kernel image path or debian:SERIES[.POINT]");
        CliTest.Run img = CliTest.run("check", "--kernel", "/nonexistent/bzImage", corpusFile(PTE_NONE).toString());
        assertThat(img.status()).isEqualTo(2);
        assertThat(img.err()).contains("/nonexistent/bzImage: no such kernel image").doesNotContain("Exception");
    }

    @Test
    void theMatrixShowsWhichPointReleaseHasTheFix() {
        assumeQemu();
        CliTest.Run r = CliTest.run("check", "--kernel", "debian:6.12.101", "--kernel", "debian:6.12.107",
                corpusFile(PTE_NONE).toString());
        Assumptions.assumeFalse(unfetchable(r), () -> "Debian's kernels cannot be fetched here: " + r.err());
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("# kernel debian:6.12.101 (linux-image-6.12.101").contains(": profile linux-6.12.101;")
                .contains("zero_page=on").contains("soft_dirty=on");
        assertThat(r.out()).containsPattern("(?m)^matrix$")
                .containsPattern("semantics/pte-none-written\\.scn +agree +agree")
                .containsPattern("debian:6\\.12\\.107 +agree 1, differ 0");
        // the simulator under the other release's profile would not agree: the fix is what differs
        CliTest.Run off = CliTest.run("diff", "--kernel", "debian:6.12.101", "--set", "pte_none_written=on",
                corpusFile(PTE_NONE).toString());
        assertThat(off.status()).isEqualTo(1);
        assertThat(off.out()).contains("DIFFER").contains("pte-none-written.scn:11");
    }

    @Test
    void probeJsonNamesTheProfile() {
        assumeQemu();
        CliTest.Run r = CliTest.run("probe", "--kernel", "debian:6.12", "--json");
        Assumptions.assumeFalse(unfetchable(r), () -> "Debian's kernels cannot be fetched here: " + r.err());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{\"schema_version\":2,\"command\":\"probe\",\"kernel\":\"debian:6.12\"")
                .contains("\"profile\":\"linux-6.12.").contains("\"zero_page\":true")
                .contains("\"guard_regions\":{\"present\":false,\"reason\":");
    }
}
