package dev.mmsim.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A kernel release as a named bundle of {@link Semantic} switches: {@code linux-6.N} has on every
 * switch whose change was in mainline v6.N (its {@link Semantic.Origin} is a release no later than
 * N); {@code newest} has every release switch on and also the stable fixes the hosts' 6.18.y
 * kernel carries, so it is the behaviour the corpus checks against the kernel. Host switches
 * ({@link Semantic#ZERO_PAGE}) belong to no profile: they follow the probed host.
 *
 * <p>Profiles start at 6.1, the oldest release mmsim is compared against (Debian's 6.1.y);
 * before 6.7 {@link Semantic#PAGEMAP_SCAN} is off, so the PAGEMAP_SCAN ioctl does not exist.
 *
 * @param name     {@code linux-6.N} or {@value #NEWEST}
 * @param minor    N of {@code linux-6.N}; {@link Integer#MAX_VALUE} for {@value #NEWEST}, which is
 *                 newer than every release
 * @param switches the release and stable-fix switches that are on
 */
public record KernelProfile(String name, int minor, Set<Semantic> switches) {
    /** The profile of the hosts' kernel; the default. */
    public static final String NEWEST = "newest";
    /** The oldest 6.x release with a profile. */
    public static final int OLDEST_MINOR = 1;
    /** The newest 6.x release with a profile. */
    public static final int NEWEST_MINOR = 19;

    public KernelProfile {
        // EnumSet.copyOf() of an empty collection that is not an EnumSet would throw; the
        // profiles before 6.7 have no switch on
        EnumSet<Semantic> copy = EnumSet.noneOf(Semantic.class);
        copy.addAll(switches);
        switches = Collections.unmodifiableSet(copy);
    }

    /** Every release and stable-fix switch on. */
    public static KernelProfile newest() {
        EnumSet<Semantic> on = EnumSet.noneOf(Semantic.class);
        for (Semantic s : Semantic.values()) if (!s.followsHost()) on.add(s);
        return new KernelProfile(NEWEST, Integer.MAX_VALUE, on);
    }

    /** Mainline v6.{@code minor}: the switches released by then. */
    public static KernelProfile linux(int minor) {
        if (minor < OLDEST_MINOR || minor > NEWEST_MINOR)
            throw new IllegalArgumentException("no profile for linux-6." + minor + " (" + range() + ")");
        EnumSet<Semantic> on = EnumSet.noneOf(Semantic.class);
        for (Semantic s : Semantic.values()) {
            if (s.origin.kind() == Semantic.Origin.Kind.RELEASE && s.origin.minor() <= minor) on.add(s);
        }
        return new KernelProfile("linux-6." + minor, minor, on);
    }

    /**
     * Stable release 6.{@code minor}.{@code point}: mainline v6.{@code minor} and the stable fixes
     * that series carried by that point release ({@link Semantic.Origin#backports()}), named
     * {@code linux-6.N.P}. Debian's 6.12.107 and later carry the two 2026 PAGEMAP_SCAN fixes.
     */
    public static KernelProfile linux(int minor, int point) {
        KernelProfile base = linux(minor);
        EnumSet<Semantic> on = EnumSet.noneOf(Semantic.class);
        on.addAll(base.switches());
        for (Semantic s : Semantic.values()) if (s.origin.inStable(minor, point)) on.add(s);
        return new KernelProfile("linux-6." + minor + "." + point, minor, on);
    }

    /**
     * The profile named {@code linux-6.N}, {@code linux-6.N.P} (a stable point release) or
     * {@value #NEWEST}.
     *
     * @throws IllegalArgumentException naming the valid profiles
     */
    public static KernelProfile named(String name) {
        if (name.equals(NEWEST)) return newest();
        if (name.matches("linux-6\\.[0-9]{1,2}\\.[0-9]{1,4}")) {
            String[] parts = name.substring("linux-6.".length()).split("\\.");
            return linux(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
        if (name.matches("linux-6\\.[0-9]{1,2}")) return linux(Integer.parseInt(name.substring("linux-6.".length())));
        throw new IllegalArgumentException("unknown profile '" + name + "' (" + range() + ")");
    }

    /** Every profile, oldest first, {@value #NEWEST} last. */
    public static List<KernelProfile> all() {
        List<KernelProfile> out = new ArrayList<>();
        for (int minor = OLDEST_MINOR; minor <= NEWEST_MINOR; minor++) out.add(linux(minor));
        out.add(newest());
        return out;
    }

    public boolean on(Semantic s) {
        return switches.contains(s);
    }

    private static String range() {
        return "expected linux-6." + OLDEST_MINOR + " to linux-6." + NEWEST_MINOR + " or " + NEWEST;
    }
}
