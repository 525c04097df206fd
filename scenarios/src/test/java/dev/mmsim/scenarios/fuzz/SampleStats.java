package dev.mmsim.scenarios.fuzz;

/** A campaign's counts with every outcome group, for tests outside this package. */
public final class SampleStats {
    private SampleStats() {}

    public static CampaignStats every() {
        CampaignStats s = new CampaignStats();
        s.agreed();
        s.agreed();
        s.unsupported("scan argat readable memory (its contents)");
        s.skipped("missing swap");
        s.explained("fault-around-past-eof");
        s.unexplained(new Signature("madvise A 1p pageout", "sim: ok / kernel: EINVAL"));
        s.error(7, "agent: timed out");
        return s;
    }
}
