package dev.mmsim.scenarios.picture;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.run.Corpus;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Pages of the teaching scenarios, rendered as {@code mmsim replay --html} renders them (upstream host). */
final class Pages {
    private Pages() {}

    static final Runner RUNNER = new Runner(Layout.DEFAULT_ARENA, 60);

    /** A rendered page: its transcript, its pictures and its HTML. */
    record Page(Transcript transcript, List<HtmlReport.Picture> pictures, String html) {}

    static List<Path> teaching() {
        return Corpus.files(List.of(Corpus.builtin().resolve("teaching")));
    }

    static Page render(Path file) throws IOException, dev.mmsim.scenarios.lang.ScenarioSyntaxException {
        Scenario s = ScenarioParser.parse(file);
        HtmlReport report = new HtmlReport("mmsim: " + s.name());
        Transcript t = RUNNER.sim(s, HostProfile.UPSTREAM, report.observer());
        report.add(t, null);
        return new Page(t, report.pictures(), report.render());
    }

    static Page render(String text) throws dev.mmsim.scenarios.lang.ScenarioSyntaxException {
        Scenario s = dev.mmsim.scenarios.lang.ScenarioParser.parse("test.scn", text);
        HtmlReport report = new HtmlReport("mmsim: " + s.name());
        Transcript t = RUNNER.sim(s, HostProfile.UPSTREAM, report.observer());
        report.add(t, null);
        return new Page(t, report.pictures(), report.render());
    }
}
