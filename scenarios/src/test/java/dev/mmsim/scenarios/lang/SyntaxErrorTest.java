package dev.mmsim.scenarios.lang;

import static dev.mmsim.scenarios.lang.Scenarios.PRELUDE;
import static dev.mmsim.scenarios.lang.Scenarios.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed scenarios: each reports exactly the expected error at the offending token. */
class SyntaxErrorTest {
    /** A malformed scenario and its one error, {@code LINE:COL: message}. */
    record Case(String name, String text, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A case whose bad line comes after {@link Scenarios#PRELUDE}, as line 5. */
    private static Case line5(String name, String line, int col, String message) {
        return new Case(name, PRELUDE + line + "\n", "5:" + col + ": " + message);
    }

    private static Case whole(String name, String text, String error) {
        return new Case(name, text, error);
    }

    static Stream<Case> malformed() {
        return Stream.of(
                // Statements and arity
                line5("misspelt keyword", "mmpa B 4p rw private", 1,
                        "unknown statement 'mmpa' (did you mean 'mmap'?)"),
                line5("unknown keyword", "frobnicate A", 1, "unknown statement 'frobnicate'"),
                line5("upper-case keyword", "MUNMAP A 4p", 1,
                        "unknown statement 'MUNMAP' (did you mean 'munmap'?)"),
                line5("mmap without PROT", "mmap B 4p", 1,
                        "mmap needs NAME SIZE PROT FLAG... (missing PROT)"),
                line5("mmap without flags", "mmap B 4p rw", 1,
                        "mmap needs NAME SIZE PROT FLAG... (missing FLAG)"),
                line5("munmap without SIZE", "munmap A", 1, "munmap needs ADDR SIZE (missing SIZE)"),
                line5("extra argument", "munmap A 4p 8p", 13, "unexpected '8p' after munmap ADDR SIZE"),
                line5("read with two sizes", "read A 1p 2p", 11, "unexpected '2p' after read ADDR [SIZE]"),
                line5("smaps with ADDR only", "smaps A", 1, "smaps needs [ADDR SIZE] (missing SIZE)"),
                line5("mseal without SIZE", "mseal A", 1, "mseal needs ADDR SIZE (missing SIZE)"),
                line5("mseal with a raw address", "mseal 0x1000 1p", 7,
                        "raw address '0x1000' is allowed only in scan start and end (write arena+OFFSET)"),
                line5("prctl without on or off", "prctl memory_merge", 1,
                        "prctl needs OPTION on|off (missing on|off)"),
                line5("misspelt prctl option", "prctl memory_marge on", 7,
                        "unknown prctl option 'memory_marge' (did you mean 'memory_merge'?)"),
                line5("prctl neither on nor off", "prctl memory_merge 1", 20, "expected on or off, got '1'"),
                line5("uprobe without OFFSET", "uprobe f", 1, "uprobe needs F OFFSET (missing OFFSET)"),
                line5("clear_refs not a number", "clear_refs four", 12,
                        "expected a non-negative integer for clear_refs, got 'four'"),
                line5("clear_refs without N", "clear_refs", 1, "clear_refs needs N (missing N)"),
                line5("clear_refs negative", "clear_refs -4", 12,
                        "expected a non-negative integer for clear_refs, got '-4'"),
                line5("clear_refs past an int", "clear_refs 2147483648", 12,
                        "clear_refs value '2147483648' does not fit an int"),
                line5("clear_refs with two values", "clear_refs 4 5", 14, "unexpected '5' after clear_refs N"),
                line5("pagemap_raw bad COUNT", "pagemap_raw 8 x", 15,
                        "expected a non-negative integer for COUNT, got 'x'"),
                // mmap flags and options
                line5("mmap without private or shared", "mmap B 4p rw populate", 1,
                        "mmap needs private or shared"),
                line5("private and shared", "mmap B 4p rw private shared", 22,
                        "'shared' conflicts with 'private'"),
                line5("anon with file", "mmap B 4p rw shared anon file f", 26, "'file' conflicts with 'anon'"),
                line5("fixed without at", "mmap B 4p rw private fixed", 22, "'fixed' needs 'at ADDR'"),
                line5("off without file", "mmap B 4p rw private off 1p", 22, "'off' needs 'file F'"),
                line5("misspelt mmap flag", "mmap B 4p rw private popluate", 22,
                        "unknown mmap flag or option 'popluate' (did you mean 'populate'?)"),
                line5("repeated mmap flag", "mmap B 4p rw private populate populate", 31,
                        "'populate' repeated"),
                line5("at without ADDR", "mmap B 4p rw private at", 22, "'at' needs ADDR"),
                // Literals
                line5("unknown size unit", "munmap A 4k", 10,
                        "bad size '4k': unknown unit 'k' (expected p, K, M, G or none)"),
                line5("negative size", "munmap A -4p", 10, "bad size '-4p': sizes cannot be negative"),
                line5("size overflow", "munmap A 9999999999G", 10,
                        "bad size '9999999999G': larger than 2^63-1 bytes"),
                line5("bad prot", "mprotect A 4p wr", 15,
                        "bad prot 'wr' (expected none, or r, w, x in that order)"),
                line5("unknown advice", "madvise A 4p dontneeed", 14,
                        "unknown madvise advice 'dontneeed' (did you mean 'dontneed'?)"),
                line5("process_madvise without a range", "process_madvise cold", 1,
                        "process_madvise needs ADVICE ADDR SIZE [ADDR SIZE]... (missing ADDR)"),
                line5("process_madvise range without SIZE", "process_madvise cold A 1p A+2p", 1,
                        "process_madvise needs ADVICE ADDR SIZE [ADDR SIZE]... (missing SIZE)"),
                line5("process_madvise address first", "process_madvise A 1p cold", 17,
                        "unknown madvise advice 'A'"),
                line5("process_madvise bad size", "process_madvise cold A 1p A+2p 2q", 32,
                        "bad size '2q': unknown unit 'q' (expected p, K, M, G or none)"),
                line5("uffd_wp neither on nor off", "uffd_wp A 4p maybe", 14, "expected on or off, got 'maybe'"),
                line5("uffd_register without MODE", "uffd_register A 4p async", 1,
                        "uffd_register needs a MODE: missing, wp or minor"),
                // Names
                line5("duplicate mmap name", "mmap A 4p rw private", 6, "mapping 'A' already defined at line 2"),
                line5("duplicate mremap as name", "mremap A 4p 8p maymove as A", 27,
                        "mapping 'A' already defined at line 2"),
                line5("mapping name with a dash", "mmap my-map 4p rw private", 6,
                        "bad mapping name 'my-map' (letters, digits and _, starting with a letter)"),
                line5("arena as a mapping name", "mmap arena 4p rw private", 6,
                        "'arena' is reserved for the start of the arena"),
                line5("undefined mapping", "munmap B 4p", 8, "undefined mapping 'B'"),
                line5("undefined mapping with offset", "read B+4p", 6, "undefined mapping 'B'"),
                line5("undefined file", "mmap B 4p r shared file g", 25, "undefined file 'g'"),
                line5("raw address as ADDR", "munmap 0x100000000000 4p", 8,
                        "raw address '0x100000000000' is allowed only in scan start and end (write arena+OFFSET)"),
                line5("address without a name", "read +4p", 6,
                        "bad address '+4p': expected NAME, NAME+SIZE or NAME-SIZE"),
                line5("bad offset in address", "read A+4q", 6,
                        "bad size '4q': unknown unit 'q' (expected p, K, M, G or none)"),
                line5("unknown child", "c2: read A", 1, "undefined child 'c2'"),
                line5("child prefix alone", "c1:", 1, "'c1:' needs a statement after it"),
                line5("fork of an existing child", "fork c1", 6, "child 'c1' already defined at line 4"),
                // Header
                whole("scenario not first", "mmap A 4p rw private\n",
                        "1:1: the first statement must be 'scenario NAME', not 'mmap'"),
                whole("scenario repeated", "scenario t\nscenario u\n", "2:1: scenario repeated (first at line 1)"),
                whole("scenario after mirrors", "mirrors x\nscenario t\n",
                        "1:1: the first statement must be 'scenario NAME', not 'mirrors'\n"
                                + "t.scn:2:1: scenario must be the first statement"),
                whole("header after an operation", PRELUDE + "profile linux-6.18\n",
                        "5:1: profile must come before the first operation (line 2)"),
                whole("mirrors repeated", "scenario t\nmirrors a\nmirrors b\n",
                        "3:1: mirrors repeated (first at line 2)"),
                whole("unknown profile", "scenario t\nprofile linux-6.0\n",
                        "2:9: unknown profile 'linux-6.0' (expected linux-6.1 .. linux-6.19 or newest)"),
                whole("misspelt feature", "scenario t\nrequires thp guard_region\n",
                        "2:14: unknown feature 'guard_region' (did you mean 'guard_regions'?)"),
                whole("repeated feature", "scenario t\nrequires thp swap thp\n", "2:19: 'thp' repeated"),
                whole("requires nothing", "scenario t\nrequires\n",
                        "2:1: requires needs FEATURE... (missing FEATURE)"),
                whole("bad scenario name", "scenario Guard\n", "1:10: bad scenario name 'Guard' "
                        + "(lower-case letters, digits, _ and -, starting with a letter; / between parts)"),
                whole("empty file", "# nothing here\n", "1:1: missing 'scenario NAME'"),
                // Expectations and lines
                line5("arrow without a result", "read A =>   # nothing", 8, "'=>' needs an expected result after it"),
                line5("glued arrow without a result", "read A=>", 7, "'=>' needs an expected result after it"),
                line5("arrow without a statement", "=> ok", 1, "'=>' needs a statement before it"),
                line5("backslash on the last line", "read A \\", 8, "'\\' on the last line continues nothing"),
                new Case("error on a continuation line", PRELUDE + "munmap A \\\n     4q\n",
                        "6:6: bad size '4q': unknown unit 'q' (expected p, K, M, G or none)"),
                // scan
                line5("scan option repeated", "scan A 4p vec 1 vec 2", 17, "'vec' repeated"),
                line5("negative vec", "scan A 4p vec -1", 15,
                        "expected a non-negative integer or null for vec, got '-1'"),
                line5("misspelt category", "scan A 4p return present|writen", 18,
                        "unknown category 'writen' (did you mean 'written'?)"),
                line5("misspelt scan flag", "scan A 4p flags wp_matchng", 17,
                        "unknown scan flag 'wp_matchng' (did you mean 'wp_matching'?)"),
                line5("misspelt scan option", "scan A 4p retrun all", 11,
                        "unknown scan option 'retrun' (did you mean 'return'?)"),
                line5("scan option without a value", "scan A 4p max", 11, "'max' needs N"),
                line5("trace of something else", "trace pagemap A", 7, "trace works only with scan, not 'pagemap'"),
                line5("scan of an unknown child", "scan A 4p of c2", 14, "undefined child 'c2'"),
                line5("scan on an unknown file", "scan A 4p on g", 14, "undefined file 'g'"),
                line5("scan of a child and on a file", "scan A 4p of c1 on f", 1, "'of' conflicts with 'on'"),
                line5("vecat with vec null", "scan A 4p vecat A vec null", 1, "'vecat' conflicts with 'vec null'"),
                line5("scan of a child run in a child", "c1: scan A 4p of c1", 1,
                        "'of' works only in the main process, not in a child"),
                line5("pagemap_raw with an unknown option", "pagemap_raw 0 8 buf A", 17,
                        "unknown pagemap_raw option 'buf' (did you mean 'bufat'?)"),
                line5("pagemap_raw bufat without a value", "pagemap_raw 0 8 bufat", 17, "'bufat' needs RAWADDR"),
                line5("trace of a child's pagemap", "trace scan A 4p of c1", 1,
                        "trace scan works only on the process's own pagemap with a buffer of its own (no vecat, of, on, argat or cmd)"),
                line5("scan cmd past 32 bits", "scan A 4p cmd 0x100000000", 15, "ioctl request '0x100000000' does not fit 32 bits"),
                line5("scan cmd that is not a number", "scan A 4p cmd scan", 15, "expected a non-negative integer for cmd, got 'scan'"),
                line5("exit in the main process", "exit", 1, "exit needs a CHILD: prefix (only a child can exit)"),
                line5("exit with an argument", "c1: exit now", 10, "unexpected 'now' after exit"),
                new Case("statement in a child that has exited", PRELUDE + "c1: exit\nc1: read A\n",
                        "6:1: child 'c1' has exited (line 5)"),
                // Numbers take ASCII digits only (Java's parsers take any Unicode digit)
                line5("fullwidth clear_refs", "clear_refs \uff14", 12,
                        "expected a non-negative integer for clear_refs, got '\uff14' (digits must be ASCII 0-9)"),
                line5("Arabic-Indic clear_refs", "clear_refs 1\u0664", 12,
                        "expected a non-negative integer for clear_refs, got '1\u0664' (digits must be ASCII 0-9)"),
                line5("fullwidth hex count", "pagemap_raw 0x\uff11 8", 13,
                        "expected a non-negative integer for OFFSET, got '0x\uff11' (digits must be ASCII 0-9)"),
                line5("Arabic-Indic scan vec", "scan A 4p vec \u0661", 15,
                        "expected a non-negative integer or null for vec, got '\u0661' (digits must be ASCII 0-9)"),
                line5("fullwidth scan max", "scan A 4p max \uff18", 15,
                        "expected a non-negative integer for max, got '\uff18' (digits must be ASCII 0-9)"),
                line5("fullwidth scan cmd", "scan A 4p cmd \uff18", 15,
                        "expected a non-negative integer for cmd, got '\uff18' (digits must be ASCII 0-9)"),
                line5("fullwidth raw category bits", "scan A 4p return present|\uff18", 18,
                        "expected a name or a number for raw category bits, got '\uff18' (digits must be ASCII 0-9)"),
                line5("fullwidth raw scan flag bits", "scan A 4p flags \uff18", 17,
                        "expected a name or a number for raw scan flag bits, got '\uff18' (digits must be ASCII 0-9)"),
                line5("fullwidth size", "munmap A \uff14p", 10,
                        "bad size '\uff14p': expected a number with an optional unit p, K, M or G"
                                + " (digits must be ASCII 0-9)"),
                line5("size with a fullwidth digit inside", "munmap A 4\uff14p", 10,
                        "bad size '4\uff14p': unknown unit '\uff14p' (expected p, K, M, G or none)"
                                + " (digits must be ASCII 0-9)"),
                line5("fullwidth address offset", "read A+\uff14p", 6,
                        "bad size '\uff14p': expected a number with an optional unit p, K, M or G"
                                + " (digits must be ASCII 0-9)"),
                line5("Arabic-Indic raw address", "scan \u0661\u0660 4p", 6,
                        "bad address '\u0661\u0660': expected a decimal or 0x hex number (digits must be ASCII 0-9)"),
                line5("fullwidth count after a tab", "clear_refs\t\uff14\uff14", 12,
                        "expected a non-negative integer for clear_refs, got '\uff14\uff14' (digits must be ASCII 0-9)"),
                // set
                line5("set neither on nor off", "set maybe_guard yes", 17, "expected on or off, got 'yes'"),
                line5("misspelt semantic", "set maybe_gaurd on", 5,
                        "unknown semantic 'maybe_gaurd' (did you mean 'maybe_guard'?)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void reportsTheErrorAtTheOffendingToken(Case c) {
        assertThat(String.join("\n", errors(c.text()))).isEqualTo(Scenarios.FILE + ":" + c.error());
    }

    @Test
    void collectsAnErrorForEveryBadLine() {
        assertThat(errors(PRELUDE + "munmap A 4q\nread A\nmprotect A 4p q\nfrob\n")).containsExactly(
                "t.scn:5:10: bad size '4q': unknown unit 'q' (expected p, K, M, G or none)",
                "t.scn:7:15: bad prot 'q' (expected none, or r, w, x in that order)",
                "t.scn:8:1: unknown statement 'frob'");
    }

    @Test
    void aBadDefinitionDoesNotCascadeIntoItsUses() {
        String text = """
                scenario t
                mmap B 4q rw private
                read B
                mremap B 4p 8p maymove as C
                munmap C 4p
                fork c1 extra
                c1: read B
                munmap D 4p
                """;
        assertThat(errors(text)).containsExactly(
                "t.scn:2:8: bad size '4q': unknown unit 'q' (expected p, K, M, G or none)",
                "t.scn:6:9: unexpected 'extra' after fork CHILD",
                "t.scn:8:8: undefined mapping 'D'");
    }

    @Test
    void aMappingCannotBeUsedOnTheLineThatDefinesIt() {
        assertThat(errors("scenario t\nmmap A 4p rw private fixed at A\n"))
                .containsExactly("t.scn:2:31: undefined mapping 'A'");
    }

    @Test
    void stopsAfterFiftyErrors() {
        String text = "scenario t\n" + "frob\n".repeat(60);
        assertThat(errors(text)).hasSize(ScenarioParser.MAX_ERRORS)
                .last().isEqualTo("t.scn:51:1: unknown statement 'frob'");
    }

    @Test
    void theMessageListsEveryError() {
        ScenarioSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(
                ScenarioSyntaxException.class, () -> ScenarioParser.parse("x.scn", "scenario t\nfrob\nmunmap\n"));
        assertThat(e.getMessage()).isEqualTo("""
                x.scn:2:1: unknown statement 'frob'
                x.scn:3:1: munmap needs ADDR SIZE (missing ADDR)""");
        assertThat(e.errors()).extracting(SyntaxError::pos)
                .containsExactly(new Pos("x.scn", 2, 1), new Pos("x.scn", 3, 1));
    }
}
