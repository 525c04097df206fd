package dev.mmsim.scenarios.vm;

import java.nio.file.Path;
import java.util.List;

/**
 * A kernel ready to boot: its image, the modules the initramfs must load first (in dependency
 * order: the virtio drivers of a kernel that builds them as modules), and where it came from.
 *
 * @param image   the bzImage / vmlinuz
 * @param modules module files, dependencies first; empty when the drivers are built in
 * @param origin  a short description: the Debian package and version, or the image path
 */
public record KernelImage(Path image, List<Path> modules, String origin) {
    public KernelImage {
        modules = List.copyOf(modules);
    }
}
