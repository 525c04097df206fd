package dev.mmsim.scenarios.vm;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code --kernel K} names: {@code host} (this machine's kernel), a path to a kernel image (a
 * reviewer's own {@code arch/x86/boot/bzImage}), or {@code debian:SERIES[.POINT]}, the newest
 * Debian {@code linux-image-*-cloud-amd64} package of that series ({@code debian:6.12},
 * {@code debian:6.1}) or that exact upstream point release ({@code debian:6.12.111},
 * {@code debian:6.1.192}).
 *
 * @param text   as the user wrote it
 * @param kind   which of the three
 * @param image  the image path, for {@link Kind#IMAGE}
 * @param series {@code 6.12}, for {@link Kind#DEBIAN}
 * @param point  the point release, or -1 for the newest, for {@link Kind#DEBIAN}
 */
public record KernelSpec(String text, Kind kind, Path image, String series, int point) {
    /** The three ways to name a kernel. */
    public enum Kind { HOST, IMAGE, DEBIAN }

    private static final Pattern DEBIAN = Pattern.compile("debian:(\\d+\\.\\d+)(?:\\.(\\d+))?");

    /** This host's kernel. */
    public static final KernelSpec HOST = new KernelSpec("host", Kind.HOST, null, null, -1);

    /**
     * Parses a {@code --kernel} value.
     *
     * @throws IllegalArgumentException explaining the three forms
     */
    public static KernelSpec parse(String text) {
        if (text.equals("host")) return HOST;
        if (text.startsWith("debian:")) {
            Matcher m = DEBIAN.matcher(text);
            if (!m.matches())
                throw new IllegalArgumentException("--kernel " + text + ": expected debian:SERIES or debian:SERIES.POINT"
                        + " (debian:6.12, debian:6.1, debian:6.12.111)");
            return new KernelSpec(text, Kind.DEBIAN, null, m.group(1), m.group(2) == null ? -1 : Integer.parseInt(m.group(2)));
        }
        if (text.isEmpty() || text.contains(":") && !text.startsWith("/") && !text.startsWith("."))
            throw new IllegalArgumentException("--kernel " + text + ": expected host, a kernel image path or debian:SERIES[.POINT]");
        return new KernelSpec(text, Kind.IMAGE, Path.of(text), null, -1);
    }

    @Override
    public String toString() {
        return text;
    }
}
