package dev.mmsim.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.mmsim.scenarios.run.Json;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every command's real {@code --json} output is one document that validates against the schema
 * in the repository (scenarios/src/main/resources/dev/mmsim/scenarios/mmsim-output.schema.json),
 * and carries the structured results the schema promises.
 */
class JsonSchemaTest {
    static Schema schema;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** Every kind of result a statement can have, on the simulator. */
    static final String EVERY_KIND = """
scenario json/every-kind
            mmap A 8p rw private anon
            write A 2p
            madvise A+4p 1p guard_install
            read A+4p
            munmap A+100p 1p
            scan A 8p
            pagemap A 8p
            pagemap_raw 0 8
            smaps
            maps A 8p
            write A+1p value 7
            values A 8p
            mremap A 8p 16p maymove as B
            process_madvise dontneed B+1p 1p
            mremap B+1p 1p 1p maymove fixed arena+0x1001 as C
            read C
            """;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = Json.class.getResourceAsStream(Json.SCHEMA_RESOURCE)) {
            assertThat(in).as("the schema is on the class path").isNotNull();
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), InputFormat.JSON);
        }
    }

    /** Validates one document and returns it parsed. */
    static JsonNode valid(String out) {
        String doc = out.strip();
        assertThat(doc).as("one document on one line").doesNotContain("\n");
        List<Error> errors = schema.validate(doc, InputFormat.JSON);
        assertThat(errors).as(doc).isEmpty();
        JsonNode n = MAPPER.readTree(doc);
        assertThat(n.get("schema_version").asInt()).isEqualTo(Json.SCHEMA_VERSION);
        return n;
    }

    Path scenario(String text) throws Exception {
        Path p = dir.resolve("every-kind.scn");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void theSchemaRejectsWhatItShould() {
        assertThat(schema.validate("{\"schema_version\":2,\"command\":\"replay\"}", InputFormat.JSON)).isNotEmpty();
        assertThat(schema.validate("{\"schema_version\":1,\"command\":\"probe\",\"kernel\":\"host\",\"unavailable\":\"x\"}",
                InputFormat.JSON)).isNotEmpty();
        assertThat(schema.validate("{\"schema_version\":2,\"command\":\"probe\",\"kernel\":\"host\",\"unavailable\":null}",
                InputFormat.JSON)).as("a probe that worked has its fields").isNotEmpty();
        assertThat(schema.validate("{\"schema_version\":2,\"command\":\"probe\",\"kernel\":\"host\",\"unavailable\":\"x\"}",
                InputFormat.JSON)).isEmpty();
    }

    @Test
    void replayGivesStructuredResultsOfEveryKind() throws Exception {
        CliTest.Run r = CliTest.run("replay", "--json", "--host-profile", "zero_page=off", scenario(EVERY_KIND).toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode doc = valid(r.out());
        assertThat(doc.get("command").asString()).isEqualTo("replay");
        JsonNode lines = doc.get("transcripts").get(0).get("lines");
        java.util.Set<String> kinds = new java.util.TreeSet<>();
        for (JsonNode l : lines) kinds.add(l.get("detail").get("kind").asString());
        assertThat(kinds).contains("none", "ok", "errno", "signal", "scan", "pagemap", "pagemap_raw", "smaps", "maps",
                "mremap", "bytes", "unbound", "values");
        JsonNode values = find(lines, "values").get("runs");
        assertThat(values.get(0).get("value").asString()).isEqualTo("90");
        assertThat(values.get(1).get("value").asString()).isEqualTo("7");
        assertThat(values.get(3).get("signal").asString()).isEqualTo("SIGSEGV");
        assertThat(values.get(3).get("start_rel").asString()).isEqualTo("A+4p");
        JsonNode scan = find(lines, "scan");
        JsonNode guard = scan.get("regions").get(2);
        assertThat(guard.get("start_rel").asString()).isEqualTo("A+4p");
        assertThat(guard.get("start").asString()).isEqualTo("0x100000004000");
        assertThat(guard.get("categories").toString()).isEqualTo("[\"guard\",\"swapped\",\"written\"]");
        JsonNode signal = find(lines, "signal");
        assertThat(signal.get("address").get("relative").asString()).isEqualTo("A+4p");
        JsonNode smaps = find(lines, "smaps").get("vmas").get(0);
        assertThat(smaps.get("vm_flags").toString()).contains("\"gu\"");
        assertThat(smaps.get("rss_kb").asLong()).isEqualTo(8);
        assertThat(find(lines, "pagemap").get("runs").get(0).get("present").asBoolean()).isTrue();
        assertThat(find(lines, "errno").get("errno_value").asInt()).isEqualTo(22);
    }

    private static JsonNode find(JsonNode lines, String kind) {
        for (JsonNode l : lines) if (l.get("detail").get("kind").asString().equals(kind)) return l.get("detail");
        throw new AssertionError("no " + kind + " in " + lines);
    }

    @Test
    void diffAndCheckValidate() throws Exception {
        Path p = scenario(EVERY_KIND);
        CliTest.Run d = CliTest.run("diff", "--json", p.toString());
        JsonNode diff = valid(d.out());
        assertThat(diff.get("scenarios").get(0).get("verdict").asString()).isIn("agree", "differ", "skipped", "error");
        CliTest.Run c = CliTest.run("check", "--json", p.toString());
        JsonNode check = valid(c.out());
        assertThat(check.get("kernels").get(0).get("counts").has("agree")).isTrue();
        assertThat(check.get("kernels").get(0).get("scenarios").get(0).get("comparison").get("label").asString())
                .endsWith("every-kind.scn");
    }

    @Test
    void compareValidatesAndCountsUnsupportedAsNotCompared() throws Exception {
        Path changes = dev.mmsim.scenarios.run.Corpus.builtin().resolve("guard-regions/maybe-guard-sticky.scn");
        Path unsupported = dir.resolve("b.scn");
        Files.writeString(unsupported, "scenario b\nmmap A 4p rw private anon\nwrite A 1p\nscan A 4p argat A\n");
        CliTest.Run r = CliTest.run("compare", "--json", "--host-profile", "zero_page=off", "--set", "sticky_flags=off",
                changes.toString(), unsupported.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(1);
        JsonNode doc = valid(r.out());
        assertThat(doc.get("changed").size()).isEqualTo(1);
        assertThat(doc.get("changed").get(0).get("line").asInt()).isEqualTo(15);
        assertThat(doc.get("unchanged").asInt()).isZero();
        assertThat(doc.get("not_compared").get(0).get("reason").asString())
                .isEqualTo("unsupported (scan argat readable memory (its contents))");
        for (JsonNode c : doc.get("changed")) assertThat(c.get("baseline").isNull()).isFalse();
    }

    @Test
    void probeAndFuzzValidateWhenTheKernelIsUnavailableToo() {
        CliTest.Run p = CliTest.run("probe", "--json");
        JsonNode probe = valid(p.out());
        assertThat(probe.get("command").asString()).isEqualTo("probe");
        CliTest.Run f = CliTest.run("fuzz", "--json", "--count", "2", "--seed", "1", "--jobs", "1",
                "--out", dir.resolve("fuzz").toString());
        JsonNode fuzz = valid(f.out());
        assertThat(fuzz.get("exit_status").asInt()).isEqualTo(f.status());
    }

    @Test
    void benchValidates() {
        CliTest.Run r = CliTest.run("bench", "--sim-only", "--json", "--scale", "0.001", "--reps", "1", "--warmup", "0",
                "--warmup-seconds", "0");
        assertThat(r.status()).as(r.err()).isZero();
        valid(r.out());
    }

    /** A comparison that differs, built from two simulator runs on hosts with and without the zero page. */
    @Test
    void aDifferenceCarriesBothDetails() throws Exception {
        dev.mmsim.scenarios.lang.Scenario sc = dev.mmsim.scenarios.lang.ScenarioParser.parse("z.scn",
                "scenario z\nmmap A 2p rw private anon\nread A\nscan A 2p\n");
        dev.mmsim.scenarios.run.Runner runner = new dev.mmsim.scenarios.run.Runner(dev.mmsim.scenarios.run.Layout.DEFAULT_ARENA, 0);
        dev.mmsim.scenarios.run.Transcript on = runner.sim(sc, dev.mmsim.core.HostProfile.parse("zero_page=on"));
        dev.mmsim.scenarios.run.Transcript off = runner.sim(sc, dev.mmsim.core.HostProfile.parse("zero_page=off"));
        dev.mmsim.scenarios.run.Comparison c = dev.mmsim.scenarios.run.Comparison.of(on, off);
        assertThat(c.verdict()).isEqualTo(dev.mmsim.scenarios.run.Comparison.Verdict.DIFFER);
        java.util.Map<String, Object> doc = Json.document("diff");
        doc.put("kernel", "host");
        doc.put("host", "test");
        doc.put("strict", false);
        doc.put("exit_status", 1);
        doc.put("scenarios", List.of(c.toJsonValue("z.scn")));
        JsonNode first = valid(Json.write(doc)).get("scenarios").get(0).get("first_difference");
        assertThat(first.get("line").asInt()).isEqualTo(4);
        assertThat(first.get("sim_detail").get("regions").get(0).get("categories").toString()).contains("pfnzero");
        assertThat(first.get("kernel_detail").get("regions").get(0).get("categories").toString()).doesNotContain("pfnzero");
    }

    /** A campaign that ran (the kernel backend is needed for one): every group and a finding. */
    @Test
    void aFuzzCampaignValidates() {
        dev.mmsim.scenarios.fuzz.CampaignStats stats = dev.mmsim.scenarios.fuzz.SampleStats.every();
        dev.mmsim.scenarios.fuzz.Finding finding = new dev.mmsim.scenarios.fuzz.Finding(
                new dev.mmsim.scenarios.fuzz.Signature("madvise A 1p pageout", "sim: ok / kernel: EINVAL"), 42,
                new dev.mmsim.scenarios.fuzz.FuzzCase(42, List.of("scenario f", "madvise A 1p pageout")), true,
                dir.resolve("f.scn"));
        JsonNode doc = valid(Json.write(FuzzCommand.document("host", true, 1, stats, List.of(finding))));
        assertThat(doc.get("stats").get("done").asInt()).isEqualTo(7);
        assertThat(doc.get("stats").get("unexplained").get("total").asInt()).isEqualTo(1);
        assertThat(doc.get("findings").get(0).get("seed").asString()).isEqualTo("42");
    }

    /** A coverage-guided campaign's document: the coverage object, with the functions below the goal. */
    @Test
    void aCoverageGuidedCampaignValidates() {
        dev.mmsim.scenarios.fuzz.Guidance guidance = new dev.mmsim.scenarios.fuzz.Guidance(
                new dev.mmsim.scenarios.fuzz.ProbeSource() {
                    @Override
                    public void reset() { }

                    @Override
                    public org.jacoco.core.data.ExecutionDataStore take() {
                        return new org.jacoco.core.data.ExecutionDataStore();
                    }
                }, 0.5);
        dev.mmsim.scenarios.fuzz.CoverageReport report = dev.mmsim.scenarios.fuzz.CoverageReport.of(
                new org.jacoco.core.data.ExecutionDataStore(), dev.mmsim.scenarios.run.AgentBuild.home());
        java.util.Map<String, Object> doc = FuzzCommand.document("host", false, 0, dev.mmsim.scenarios.fuzz.SampleStats.every(),
                List.of());
        doc.put("coverage", FuzzCommand.coverageJson(guidance, report));
        JsonNode valid = valid(Json.write(doc));
        JsonNode coverage = valid.get("coverage");
        assertThat(coverage.get("sim_mm").get("total").asInt()).isEqualTo(report.mm().total()).isPositive();
        assertThat(coverage.get("modelled").get("covered").asInt()).isZero();
        assertThat(coverage.get("below_goal").size()).isEqualTo(report.belowGoal().size()).isPositive();
        assertThat(coverage.get("below_goal").get(0).get("kernel").get(0).asString()).endsWith("()");
    }

    @Test
    void exploreStickyValidates() {
        CliTest.Run r = CliTest.run("explore", "sticky", "--merges", "2", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode doc = valid(r.out());
        assertThat(doc.get("rows").size()).isEqualTo(3);
        JsonNode two = doc.get("rows").get(2).get("rules");
        assertThat(two.get(0).get("vmas").asInt()).isEqualTo(1);   // sticky: one VMA
        assertThat(two.get(1).get("vmas").asInt()).isEqualTo(2);   // flags must match: G, and N1+N2 merged
    }
}
