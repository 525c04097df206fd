package dev.mmsim.scenarios.cli;

import dev.mmsim.core.SemanticChoice;
import dev.mmsim.scenarios.fuzz.Campaign;
import dev.mmsim.scenarios.fuzz.CampaignStats;
import dev.mmsim.scenarios.fuzz.CampaignSwap;
import dev.mmsim.scenarios.fuzz.DifferentialRunner;
import dev.mmsim.scenarios.fuzz.Finding;
import dev.mmsim.scenarios.fuzz.Generator;
import dev.mmsim.scenarios.fuzz.KnownGaps;
import dev.mmsim.scenarios.fuzz.OpSet;
import dev.mmsim.scenarios.fuzz.Progress;
import dev.mmsim.scenarios.lang.ScenarioSyntaxException;
import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.Json;
import dev.mmsim.scenarios.run.KernelTarget;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Runner;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fuzz", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Differential fuzzing: generate scenarios from seeds, replay each on the simulator and on",
            "this host's kernel, and compare the transcripts. A mismatch a known gap (scenarios/known-gaps)",
            "explains is counted under that gap; an unexplained one is shrunk to a minimal scenario and",
            "written to --out with its seed and both transcripts. Guide: src/site/markdown/fuzzing.md"},
        footer = {"", "Examples:", "  mmsim fuzz --count 100000", "  mmsim fuzz --seed 7 --time 10m --jobs 2",
            "  mmsim fuzz --swap --count 5000      (as root: MADV_PAGEOUT pages out to a swap file)",
            "  mmsim fuzz --count 500 --strict --junit-xml fuzz.xml --json > fuzz.json   (for CI)",
            "", "Exit status: 0 no unexplained mismatch and no error, 1 otherwise (or no kernel backend;",
            "with --strict also any skipped or unsupported case), 2 bad input."})
final class FuzzCommand implements Callable<Integer> {
    private static final long DEFAULT_COUNT = 1000;

    @Option(names = "--seed", paramLabel = "S", description = "The first seed: scenario i uses S+i (default: random).")
    Long seed;

    @Option(names = "--count", paramLabel = "N",
            description = "How many scenarios (default: " + DEFAULT_COUNT + ", or no limit with --time).")
    Long count;

    @Option(names = "--jobs", paramLabel = "J", description = "Workers, each with its own agent (default: the CPUs).")
    Integer jobs;

    @Option(names = "--time", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Start no scenario after this long: 90s, 10m, 1h30m.")
    Duration time;

    @Option(names = "--out", paramLabel = "DIR", description = "Where minimal scenarios go (default: scenarios/target/fuzz).")
    Path out;

    @Option(names = "--all-ops",
            description = "Also generate statements the simulator does not model yet (they count as unsupported).")
    boolean allOps;

    @Option(names = "--kernel", paramLabel = "K", defaultValue = "host",
            description = {"The kernel to fuzz against: " + KERNEL_HELP_FUZZ})
    String kernel;

    @Option(names = "--swap",
            description = {"Set up one swap file for the campaign (root; no other swap device on): cases that",
                "page out then require swap and page anonymous and shmem memory out to it on both backends."})
    boolean swap;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time limit of one scenario on the kernel (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--json", description = {"Print the summary as one JSON document (schema: mmsim-output.schema.json,",
        "$defs/fuzz); the header and the progress go to stderr."})
    boolean json;

    @Option(names = "--strict", description = "Cases skipped or unsupported count as failures too (exit status 1).")
    boolean strict;

    @picocli.CommandLine.Mixin
    CiReport.Options reports = new CiReport.Options();

    /** Where the header and progress go: stdout, or stderr under --json. */
    private java.io.PrintStream info() {
        return json ? System.err : System.out;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (count != null && count < 1) throw new Main.UserError("mmsim fuzz: --count must be at least 1");
        if (jobs != null && jobs < 1) throw new Main.UserError("mmsim fuzz: --jobs must be at least 1");
        if (!kernel.equals("host") && swap)
            throw new Main.UserError("mmsim fuzz: --swap needs the host kernel (a VM's agents get swap per scenario)");
        try (KernelTarget target = Common.openKernel(kernel)) {
            return fuzz(target);
        }
    }

    private int fuzz(KernelTarget target) throws InterruptedException {
        HostProbe probe;
        try {
            probe = target.probe();
        } catch (AgentBuild.Unavailable e) {
            System.err.println("mmsim fuzz: needs the kernel backend, which is unavailable: " + e.getMessage());
            if (json) {
                Map<String, Object> doc = Json.document("fuzz");
                doc.put("kernel", kernel);
                doc.put("unavailable", e.getMessage());
                doc.put("exit_status", 1);
                System.out.println(Json.write(doc));
            }
            reports.write("mmsim fuzz", java.util.List.of(new CiReport.Case("fuzz." + kernel, "kernel backend",
                    CiReport.Status.ERROR, "unavailable: " + e.getMessage(), 0)), strict);
            return 1;
        }
        if (!target.onThisHost() && jobs != null && jobs > 1) {
            System.err.println("mmsim fuzz: one job: a VM runs one agent at a time");
        }
        if (!target.onThisHost()) jobs = 1;
        Campaign campaign = campaign(target, probe, knownGaps());
        CampaignSwap device = null;
        if (swap) {
            try {
                device = CampaignSwap.start(probe);
            } catch (java.io.IOException | AgentBuild.Unavailable e) {
                System.err.println("mmsim fuzz --swap: cannot set up the swap file: " + e.getMessage());
                return 1;
            }
        }
        try (Progress p = Progress.start(campaign.stats(), info(), System.console() != null)) {
            campaign.run();
        } finally {
            if (device != null) device.close();
        }
        CampaignStats s = campaign.stats();
        int status = s.unexplained() == 0 && s.errors() == 0 && (!strict || s.unsupported() == 0 && s.skipped() == 0) ? 0 : 1;
        if (json) System.out.println(Json.write(toJson(campaign, status)));
        else printSummary(campaign);
        reports.write("mmsim fuzz", cases(campaign), strict);
        return status;
    }

    static final String KERNEL_HELP_FUZZ = Common.KERNEL_HELP + " A VM runs one job.";

    private Campaign campaign(KernelTarget target, HostProbe probe, KnownGaps gaps) {
        if (timeout < 1 || timeout > 86_400)
            throw new Main.UserError("mmsim: --timeout " + timeout + ": must be 1 to 86400 seconds (every case has a time limit)");
        long first = seed != null ? seed : ThreadLocalRandom.current().nextLong(1L << 40);
        long n = count != null ? count : time != null ? Long.MAX_VALUE : DEFAULT_COUNT;
        int workers = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        OpSet ops = allOps ? OpSet.all() : OpSet.modelled(new Runner(Layout.DEFAULT_ARENA, timeout, SemanticChoice.NONE, target, false), probe.host());
        String regenerate = "mmsim fuzz --seed SEED --count 1" + (allOps ? " --all-ops" : "") + (swap ? " --swap" : "")
                + (kernel.equals("host") ? "" : " --kernel " + kernel);
        // statements needing a feature the kernel lacks are left out, so that the cases run there
        java.util.Set<String> leaveOut = new java.util.TreeSet<>();
        for (String f : Generator.OPTIONAL_FEATURES) if (probe.missing(java.util.List.of(f)) != null) leaveOut.add(f);
        Path dir = out != null ? out : AgentBuild.home().resolve("scenarios/target/fuzz");
        String limit = time == null ? null : time.toString().substring(2).toLowerCase(Locale.ROOT);
        info().printf("# fuzz: seed %d, %s, %d job%s%s; known gaps: %d; host: %s%n", first,
                n == Long.MAX_VALUE ? "for " + limit : n + " scenarios" + (limit == null ? "" : " or " + limit),
                workers, workers == 1 ? "" : "s", swap ? ", swap file" : "", gaps.all().size(), probe.host().render());
        if (!leaveOut.isEmpty()) {
            info().println("# left out of the cases (the kernel lacks them): " + String.join(", ", leaveOut));
        }
        if (!ops.unmodelled().isEmpty()) {
            info().println("# not generated (the simulator does not model them; --all-ops): "
                    + String.join(", ", ops.unmodelled()));
        }
        return new Campaign(new Campaign.Settings(first, n, workers, time, dir, regenerate),
                new Generator(ops, Layout.DEFAULT_ARENA, swap, leaveOut), gaps,
                () -> new DifferentialRunner(target, probe, SemanticChoice.NONE, Layout.DEFAULT_ARENA, timeout));
    }

    private static KnownGaps knownGaps() {
        try {
            return KnownGaps.load(KnownGaps.defaultDirectory());
        } catch (IOException | ScenarioSyntaxException e) {
            throw new Main.UserError("mmsim fuzz: bad known gap: " + e.getMessage());
        }
    }

    private static void printSummary(Campaign campaign) {
        CampaignStats s = campaign.stats();
        System.out.printf("summary: %d scenarios in %ds (%.0f/s)%n", s.done(), s.elapsed().toSeconds(), s.rate());
        System.out.printf("  %-12s %d%n", "agree", s.agree());
        group("unsupported", s.unsupported(), s.unsupportedByWhat());
        group("skipped", s.skipped(), s.skippedByReason());
        group("explained", s.explained(), s.explainedByGap());
        group("unexplained", s.unexplained(), s.unexplainedBySignature());
        System.out.printf("  %-12s %d%n", "errors", s.errors());
        for (String e : s.errorMessages()) System.out.println("    " + e);
        for (Finding f : campaign.findings()) {
            System.out.printf("unexplained mismatch: %s%n  seed %s, minimal scenario (%d statements%s): %s%n",
                    f.signature().render(), Long.toUnsignedString(f.seed()), f.minimal().lines().size(),
                    f.reproducible() ? "" : ", not reproducible, not shrunk", f.file());
        }
    }

    /** The campaign as a document ({@code $defs/fuzz} of the schema). */
    private Map<String, Object> toJson(Campaign campaign, int status) {
        return document(kernel, strict, status, campaign.stats(), campaign.findings());
    }

    /** The document of a campaign that ran, from its counts and findings. */
    static Map<String, Object> document(String kernel, boolean strict, int status, CampaignStats stats,
            java.util.List<Finding> findings) {
        Map<String, Object> doc = Json.document("fuzz");
        doc.put("kernel", kernel);
        doc.put("unavailable", null);
        doc.put("strict", strict);
        doc.put("exit_status", status);
        doc.put("stats", stats.toJsonValue());
        java.util.List<Object> list = new java.util.ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> m = Json.object();
            m.put("signature", f.signature().render());
            m.put("seed", Long.toUnsignedString(f.seed()));
            m.put("statements", f.minimal().lines().size());
            m.put("reproducible", f.reproducible());
            m.put("file", f.file() == null ? null : f.file().toString());
            list.add(m);
        }
        doc.put("findings", list);
        return doc;
    }

    /** For --junit-xml and --tap: agreement as one case, each group of the other outcomes as one. */
    private java.util.List<CiReport.Case> cases(Campaign campaign) {
        CampaignStats s = campaign.stats();
        String suite = "fuzz." + kernel;
        double secs = s.elapsed().toMillis() / 1000.0;
        java.util.List<CiReport.Case> out = new java.util.ArrayList<>();
        out.add(new CiReport.Case(suite, "agree (" + s.agree() + " scenarios)", CiReport.Status.PASSED, null, secs));
        s.explainedByGap().forEach((gap, n) -> out.add(new CiReport.Case(suite, "known gap " + gap + " (" + n + ")",
                CiReport.Status.PASSED, null, 0)));
        s.unsupportedByWhat().forEach((what, n) -> out.add(new CiReport.Case(suite, "unsupported " + what + " (" + n + ")",
                CiReport.Status.SKIPPED, "unsupported (" + what + ")", 0)));
        s.skippedByReason().forEach((why, n) -> out.add(new CiReport.Case(suite, "skipped " + why + " (" + n + ")",
                CiReport.Status.SKIPPED, why, 0)));
        for (Finding f : campaign.findings()) {
            out.add(new CiReport.Case(suite, "unexplained " + f.signature().render(), CiReport.Status.FAILED,
                    "seed " + Long.toUnsignedString(f.seed()) + ", minimal scenario: " + f.file(), 0));
        }
        if (s.errors() > 0) out.add(new CiReport.Case(suite, "errors (" + s.errors() + ")", CiReport.Status.ERROR,
                String.join("\n", s.errorMessages()), 0));
        return out;
    }

    private static void group(String label, long total, Map<String, Long> parts) {
        System.out.printf("  %-12s %d%n", label, total);
        parts.forEach((what, n) -> System.out.printf("    %-60s %d%n", what, n));
    }

    /** {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 500ms}, or ISO-8601 ({@code PT10M}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            if (value.startsWith("P") || value.startsWith("p")) return Duration.parse(value);
            Matcher m = PART.matcher(value);
            Duration d = Duration.ZERO;
            int end = 0;
            while (m.lookingAt()) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
                end = m.end();
                m.region(end, value.length());
            }
            if (end == 0 || end != value.length()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (90s, 10m, 1h30m)");
            }
            return d;
        }
    }
}
