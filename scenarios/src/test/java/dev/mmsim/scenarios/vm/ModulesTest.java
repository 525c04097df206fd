package dev.mmsim.scenarios.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Module dependencies from the modules' own .modinfo, dependencies first, built-ins skipped. */
class ModulesTest {
    static byte[] module(String depends) {
        return ("\u007fELF...\0license=GPL\0depends=" + depends + "\0vermagic=6.1.0\0").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void dependsFieldIsRead() {
        assertThat(Modules.depends(module("virtio,virtio_ring"))).containsExactly("virtio", "virtio_ring");
        assertThat(Modules.depends(module(""))).isEmpty();
        assertThat(Modules.depends("no modinfo".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void dependenciesComeFirstAndBuiltInsAreSkipped(@TempDir Path dir) throws IOException, VmException {
        Path k = Files.createDirectories(dir.resolve("kernel/drivers"));
        Files.write(k.resolve("virtio_pci.ko"), module("virtio_pci_modern_dev,virtio,virtio_ring"));
        Files.write(k.resolve("virtio_pci_modern_dev.ko"), module("virtio"));
        Files.write(k.resolve("virtio.ko"), module(""));
        Files.write(k.resolve("virtio_ring.ko"), module(""));
        Files.write(k.resolve("virtio_console.ko"), module("virtio,virtio_ring"));
        List<String> order = Modules.order(dir, List.of("virtio_pci", "virtio_console", "virtio_blk"));
        assertThat(order).extracting(p -> Path.of(p).getFileName().toString())
                .containsExactly("virtio.ko", "virtio_pci_modern_dev.ko", "virtio_ring.ko", "virtio_pci.ko",
                        "virtio_console.ko");
    }
}
