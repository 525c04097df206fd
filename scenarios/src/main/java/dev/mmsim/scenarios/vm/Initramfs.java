package dev.mmsim.scenarios.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The initramfs mmsim boots a kernel under test with, written as a gzip-compressed "newc" cpio
 * archive (the format of the kernel's Documentation/driver-api/early-userspace/buffer-format.rst):
 * {@code /init} (mmsim_init.c, static), {@code /mmsim-agent} (static), the modules to load and
 * {@code /modules.list} naming them in order. No cpio program is needed.
 */
public final class Initramfs {
    private Initramfs() {}

    /** One file of the archive. */
    public record Entry(String name, byte[] data, int mode) {}

    /** The archive's entries: init, the agent, and the modules in load order. */
    public static List<Entry> entries(Path init, Path agent, List<Path> modules) throws IOException {
        List<Entry> out = new ArrayList<>();
        out.add(new Entry("init", Files.readAllBytes(init), 0100755));
        out.add(new Entry("mmsim-agent", Files.readAllBytes(agent), 0100755));
        StringBuilder list = new StringBuilder();
        for (Path m : modules) {
            String name = "modules/" + m.getFileName();
            out.add(new Entry(name, Files.readAllBytes(m), 0100644));
            list.append('/').append(name).append('\n');
        }
        out.add(new Entry("modules", new byte[0], 040755));
        out.add(new Entry("modules.list", list.toString().getBytes(StandardCharsets.US_ASCII), 0100644));
        return out;
    }

    /** Writes the entries as a gzip-compressed newc archive to {@code target}. */
    public static void write(List<Entry> entries, Path target) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
            out.write(cpio(entries));
        }
    }

    /** The uncompressed newc archive, trailer included. */
    static byte[] cpio(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int ino = 1;
        List<Entry> all = new ArrayList<>();
        // directories first, so that the kernel can create the files inside them
        for (Entry e : entries) if ((e.mode() & 0170000) == 040000) all.add(e);
        for (Entry e : entries) if ((e.mode() & 0170000) != 040000) all.add(e);
        for (Entry e : all) header(out, e.name(), e.data(), e.mode(), ino++);
        header(out, "TRAILER!!!", new byte[0], 0, 0);
        return out.toByteArray();
    }

    private static void header(ByteArrayOutputStream out, String name, byte[] data, int mode, int ino) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int nlink = (mode & 0170000) == 040000 ? 2 : 1;
        long[] fields = {ino, mode, 0, 0, nlink, 0, data.length, 0, 0, 0, 0, n.length, 0};
        StringBuilder h = new StringBuilder("070701");
        for (long f : fields) h.append(String.format("%08X", f));
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(n);
        pad(out);
        out.writeBytes(data);
        pad(out);
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) out.write(0);
    }
}
