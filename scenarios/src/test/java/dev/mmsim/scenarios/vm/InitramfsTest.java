package dev.mmsim.scenarios.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The newc archive, read back as the kernel's initramfs unpacker reads it. */
class InitramfsTest {
    record Member(String name, int mode, byte[] data) {}

    /** Parses a newc archive: 110-byte ASCII headers, name and data each padded to 4 bytes. */
    static List<Member> parse(byte[] a) {
        List<Member> out = new ArrayList<>();
        int at = 0;
        while (true) {
            String h = new String(a, at, 110, StandardCharsets.US_ASCII);
            assertThat(h).startsWith("070701");
            int mode = Integer.parseInt(h.substring(14, 22), 16);
            int size = Integer.parseInt(h.substring(54, 62), 16);
            int nameSize = Integer.parseInt(h.substring(94, 102), 16);
            String name = new String(a, at + 110, nameSize - 1, StandardCharsets.US_ASCII);
            assertThat(a[at + 110 + nameSize - 1]).isZero();
            int data = align(at + 110 + nameSize);
            if (name.equals("TRAILER!!!")) return out;
            out.add(new Member(name, mode, Arrays.copyOfRange(a, data, data + size)));
            at = align(data + size);
        }
    }

    static int align(int n) {
        return (n + 3) & ~3;
    }

    @Test
    void initAgentAndModulesInLoadOrder(@TempDir Path dir) throws IOException {
        Path init = Files.write(dir.resolve("init"), new byte[] {1, 2, 3});
        Path agent = Files.write(dir.resolve("agent"), new byte[] {4, 5, 6, 7, 8});
        Path m1 = Files.write(dir.resolve("virtio_ring.ko"), new byte[] {9});
        Path m2 = Files.write(dir.resolve("virtio_blk.ko.xz"), new byte[] {10, 11});
        Path out = dir.resolve("initramfs.gz");
        Initramfs.write(Initramfs.entries(init, agent, List.of(m1, m2)), out);
        byte[] archive;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(out))) {
            archive = in.readAllBytes();
        }
        List<Member> members = parse(archive);
        assertThat(members).extracting(Member::name).containsExactly("modules", "init", "mmsim-agent",
                "modules/virtio_ring.ko", "modules/virtio_blk.ko.xz", "modules.list");
        assertThat(members.get(0).mode()).isEqualTo(040755);
        assertThat(members.get(1).mode()).isEqualTo(0100755);
        assertThat(members.get(2).data()).containsExactly(4, 5, 6, 7, 8);
        assertThat(new String(members.get(5).data(), StandardCharsets.US_ASCII))
                .isEqualTo("/modules/virtio_ring.ko\n/modules/virtio_blk.ko.xz\n");
    }
}
