package dev.mmsim.scenarios.run;

import dev.mmsim.core.KernelProfile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@link KernelProfile} a kernel under test picks: its release {@code 6.N.P} picks
 * {@code linux-6.N.P}, mainline 6.N with the stable fixes that series had by point release P
 * ({@link dev.mmsim.core.Semantic.Origin#backports()}; Debian's 6.1 kernels name no point in their
 * release, 6.1.0-ABI, and so get none). A kernel whose probe shows a behaviour its release did not have in mainline
 * carries backports, and the only profile that has them is {@value KernelProfile#NEWEST}: the hosts'
 * 6.18.y kernel shows VM_MAYBE_GUARD ({@code gu} in smaps, mainline 6.19), so it is {@code newest},
 * the bundle the corpus was written against. A release with no profile is an error naming the
 * nearest one.
 */
public final class ReleaseProfile {
    private ReleaseProfile() {}

    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** The profile the probed kernel picks. */
    public static KernelProfile of(HostProbe probe) throws AgentBuild.Unavailable {
        boolean maybeGuard = probe.features().containsKey("maybe_guard") && probe.features().get("maybe_guard") == null;
        try {
            return forRelease(probe.host().kernel(), maybeGuard);
        } catch (IllegalArgumentException e) {
            throw new AgentBuild.Unavailable(e.getMessage());
        }
    }

    /**
     * The profile of {@code release} (uname -r); {@code maybeGuardSeen}: the probe saw VM_MAYBE_GUARD,
     * which makes any release before 6.19 a backporting one ({@code newest}).
     *
     * @throws IllegalArgumentException for a release without a profile, naming the nearest
     */
    public static KernelProfile forRelease(String release, boolean maybeGuardSeen) {
        Matcher m = RELEASE.matcher(release);
        if (!m.find()) throw new IllegalArgumentException("cannot read a version from kernel release '" + release + "'");
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        int oldest = KernelProfile.OLDEST_MINOR;
        int newest = KernelProfile.NEWEST_MINOR;
        if (major < 6 || (major == 6 && minor < oldest))
            throw new IllegalArgumentException("no profile for Linux " + major + "." + minor + " (" + release
                    + "); the nearest is linux-6." + oldest);
        if (major > 6 || minor > newest) return KernelProfile.newest();
        if (maybeGuardSeen && minor < newest) return KernelProfile.newest();
        // 6.N.0 is the mainline release itself (and Debian's 6.1 kernels say 6.1.0-ABI whatever
        // their upstream point): no stable fix is known to it
        int point = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return point == 0 ? KernelProfile.linux(minor) : KernelProfile.linux(minor, point);
    }
}
