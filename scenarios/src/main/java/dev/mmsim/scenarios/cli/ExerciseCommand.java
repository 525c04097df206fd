package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.exercise.Exercise;
import dev.mmsim.scenarios.exercise.Exercises;
import dev.mmsim.scenarios.exercise.Topic;
import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "exercise", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Print a small generated scenario and ask you to predict the results of the statements",
            "marked Qn; --answers prints the same scenario with the results the simulator computes, as",
            "expectations ('=> RESULT'), so that 'mmsim replay FILE' checks a file of your predictions and",
            "'mmsim diff FILE' compares the answers with this machine's kernel.",
            "",
            "The same --seed and --topic give the same exercise on any machine; without --seed one is",
            "chosen and printed in the first line. Topics:",
            "  vmas     VMAs and merges: splits by mprotect/madvise, merges back, maps and smaps",
            "  faults   faults and page tables: which PTE tables exist after a few accesses",
            "  guard    guard regions: markers, SIGSEGV, VM_MAYBE_GUARD",
            "  scan     PAGEMAP_SCAN masks and limits: mask, return, vec, max, walk_end",
            "  thp      transparent huge pages: PMD leaves and what splits them",
            "  swap     swap: MADV_PAGEOUT, swap entries, swap-in"},
        footer = {"", "Examples:", "  mmsim exercise --seed 3                    # the topic chosen by the seed",
            "  mmsim exercise --seed 3 --topic guard > q.scn",
            "  mmsim exercise --seed 3 --topic guard --answers",
            "  mmsim exercise --seed 3 --topic guard --answers --confirm   # and check them on this kernel"})
final class ExerciseCommand implements Callable<Integer> {
    @Option(names = "--seed", paramLabel = "N", description = "The exercise's seed (default: a random one, printed).")
    Long seed;

    @Option(names = "--topic", paramLabel = "T", description = "vmas, faults, guard, scan, thp or swap (default: from the seed).")
    String topic;

    @Option(names = "--answers", description = "Print the answers: each question with its result, computed by the simulator.")
    boolean answers;

    @Option(names = "--confirm", description = {"With --answers: also replay the exercise on this machine's kernel and say whether",
        "it printed every answer too (the answers then follow the kernel's probed host profile)."})
    boolean confirm;

    @Option(names = "--host-profile", paramLabel = "PROFILE",
            description = {"Host profile the answers follow, e.g. 'zero_page=off'. Default: this machine's, as for",
                "mmsim replay (upstream where the kernel backend is unavailable)."})
    String hostProfile;

    @Override
    public Integer call() {
        Topic t = null;
        if (topic != null) {
            t = Topic.byWord(topic);
            if (t == null) throw new Main.UserError("mmsim: --topic must be one of " + Topic.words() + ", not '" + topic + "'");
        }
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
        Exercise e = Exercises.generate(s, t);
        if (!answers) {
            if (hostProfile != null) Common.parseHost(hostProfile);
            System.out.print(e.render());
            return 0;
        }
        if (confirm && hostProfile != null)
            throw new Main.UserError("mmsim: --confirm compares with this machine's kernel, whose host profile the answers"
                    + " follow; leave out --host-profile");
        Runner runner = new Runner(Layout.DEFAULT_ARENA, 60);
        HostProfile host = hostProfile != null ? Common.parseHost(hostProfile) : confirm ? runner.host() : Runner.defaultHost();
        Transcript transcript = e.answer(runner, host);
        System.out.print(e.render(transcript));
        if (!confirm) return 0;
        Comparison c = Comparison.of(transcript, runner.kernel(e.scenario()));
        switch (c.verdict()) {
            case AGREE -> System.out.println("# confirmed: this machine's kernel printed every answer too");
            case DIFFER -> {
                System.out.println("# the kernel differs (a gap in the simulator: please report it with this file):");
                for (String line : c.explain().split("\n")) System.out.println("#   " + line.strip());
                return 1;
            }
            default -> System.out.println("# not confirmed on the kernel: " + c.explain());
        }
        return 0;
    }
}
