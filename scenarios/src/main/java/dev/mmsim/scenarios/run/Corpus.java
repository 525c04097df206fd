package dev.mmsim.scenarios.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds scenario files: each argument is a .scn file or a directory searched recursively. */
public final class Corpus {
    private Corpus() {}

    /** The built-in corpus directory. */
    public static Path builtin() {
        return AgentBuild.home().resolve("scenarios/corpus");
    }

    public static List<Path> files(List<Path> args) {
        List<Path> out = new ArrayList<>();
        for (Path p : args) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".scn")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
