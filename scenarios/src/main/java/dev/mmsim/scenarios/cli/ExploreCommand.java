package dev.mmsim.scenarios.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mmsim explore}: families of generated scenarios that measure a trade-off. */
@Command(name = "explore", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Generate a family of scenarios, replay them on the simulator under competing rules",
            "and tabulate what they measure. The scenarios can be written out (--emit) and checked",
            "against the kernel with mmsim diff."},
        subcommands = {ExploreStickyCommand.class})
final class ExploreCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
