package dev.mmsim.scenarios.cli;

import dev.mmsim.scenarios.picture.HtmlReport;
import dev.mmsim.scenarios.run.Interpreter;
import dev.mmsim.scenarios.run.Transcript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --html OUT} option of replay and diff: checks OUT before anything runs, collects the
 * pictures while the scenarios replay, and writes the page at the end. Without the option every
 * method does nothing.
 */
final class Pictures {
    private final Path out;
    private final HtmlReport report;

    private Pictures(Path out) {
        this.out = out;
        this.report = out == null ? null : new HtmlReport("mmsim: " + out.getFileName());
    }

    /** Checks that OUT can be written (its folder exists, it is not a folder). */
    static Pictures open(Path out) {
        if (out == null) return new Pictures(null);
        if (Files.isDirectory(out)) throw new Main.UserError("mmsim: --html " + out + ": is a directory");
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent))
            throw new Main.UserError("mmsim: --html " + out + ": no such directory " + parent);
        return new Pictures(out);
    }

    /** The observer for the next simulator replay, or null without --html. */
    Interpreter.Observer observer() {
        return report == null ? null : report.observer();
    }

    /** The observer for the next kernel replay (a fresh one per attempt), or null without --html. */
    Interpreter.Observer kernelObserver() {
        return report == null ? null : report.kernelObserver();
    }

    void add(Transcript sim, Transcript kernel) {
        if (report != null) report.add(sim, kernel);
    }

    void write() {
        if (report == null) return;
        try {
            report.write(out);
        } catch (IOException e) {
            throw new Main.UserError("mmsim: --html " + out + ": cannot write (" + e.getMessage() + ")");
        }
        System.err.println("mmsim: wrote " + out + " (" + report.statements() + " statements)");
    }
}
