package dev.mmsim.scenarios.lang;

/**
 * {@code uprobe F OFFSET}: registers a uprobe on file F at byte OFFSET for this process
 * (perf_event_open() on the uprobe PMU), as merge.c's handle_uprobe_upon_merged_vma does. Each
 * private mapping of F that may execute (not writable) gets a breakpoint at that offset: the page
 * becomes an exclusive anonymous copy. The probe stays registered to the end of the scenario.
 *
 * @param file   the file's name
 * @param offset the byte offset of the probed instruction
 */
public record UprobeStmt(String file, Size offset) implements Stmt {
    @Override
    public String render() {
        return "uprobe " + file + " " + offset.render();
    }

    @Override
    public String keyword() {
        return "uprobe";
    }
}
