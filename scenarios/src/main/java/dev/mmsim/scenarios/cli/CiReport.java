package dev.mmsim.scenarios.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Option;

/**
 * Results for CI systems: a JUnit XML report ({@code --junit-xml FILE}, the format Jenkins,
 * GitLab and GitHub's test reporters read) and TAP version 14 ({@code --tap FILE}). One test case
 * per scenario (per kernel in a matrix, per fuzz outcome group); a skipped or unsupported
 * scenario is a JUnit {@code <skipped>} / TAP {@code # SKIP}, and a failure under
 * {@code --strict}.
 */
final class CiReport {
    /** How one case ended. */
    enum Status { PASSED, FAILED, ERROR, SKIPPED }

    /** One test case: {@code suite} is the JUnit class name (the kernel, or the command). */
    record Case(String suite, String name, Status status, String message, double seconds) {}

    /** The options that ask for reports, shared by check, diff and fuzz. */
    static final class Options {
        @Option(names = "--junit-xml", paramLabel = "FILE", description = "Also write a JUnit XML report to FILE.")
        Path junitXml;

        @Option(names = "--tap", paramLabel = "FILE", description = "Also write a TAP (version 14) report to FILE ('-': stdout).")
        Path tap;

        /** Writes the reports asked for; a file that cannot be written is a user error (exit 2). */
        void write(String suiteName, List<Case> cases, boolean strict) {
            try {
                if (junitXml != null) Files.writeString(junitXml, junit(suiteName, cases, strict));
                if (tap != null) {
                    String text = tap(cases, strict);
                    if (tap.toString().equals("-")) System.out.print(text);
                    else Files.writeString(tap, text);
                }
            } catch (IOException e) {
                throw new Main.UserError("mmsim: cannot write the report: " + e.getMessage());
            }
        }
    }

    private final List<Case> cases = new ArrayList<>();

    void add(String suite, String name, Status status, String message, double seconds) {
        cases.add(new Case(suite, name, status, message, seconds));
    }

    List<Case> cases() {
        return cases;
    }

    /** The JUnit XML of {@code cases}: one {@code <testsuite>}; under strict a skip is a failure. */
    static String junit(String suiteName, List<Case> cases, boolean strict) {
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        double time = 0;
        for (Case c : cases) {
            time += c.seconds();
            switch (effective(c, strict)) {
                case FAILED -> failures++;
                case ERROR -> errors++;
                case SKIPPED -> skipped++;
                case PASSED -> { }
            }
        }
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                xml(suiteName), cases.size(), failures, errors, skipped, time));
        for (Case c : cases) {
            sb.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                    xml(c.suite()), xml(c.name()), c.seconds()));
            String msg = c.message() == null ? "" : c.message();
            switch (effective(c, strict)) {
                case PASSED -> sb.append("/>\n");
                case SKIPPED -> sb.append(">\n    <skipped message=\"").append(xml(msg)).append("\"/>\n  </testcase>\n");
                case FAILED -> sb.append(">\n    <failure message=\"").append(xml(firstLine(msg))).append("\">")
                        .append(xml(msg)).append("</failure>\n  </testcase>\n");
                case ERROR -> sb.append(">\n    <error message=\"").append(xml(firstLine(msg))).append("\">")
                        .append(xml(msg)).append("</error>\n  </testcase>\n");
            }
        }
        return sb.append("</testsuite>\n").toString();
    }

    /** TAP version 14: {@code ok N - NAME}, {@code # SKIP reason}, a YAML block with the message of a failure. */
    static String tap(List<Case> cases, boolean strict) {
        StringBuilder sb = new StringBuilder("TAP version 14\n1..").append(cases.size()).append('\n');
        int n = 0;
        for (Case c : cases) {
            n++;
            String name = c.suite() + " " + c.name();
            String msg = c.message() == null ? "" : c.message();
            switch (effective(c, strict)) {
                case PASSED -> sb.append("ok ").append(n).append(" - ").append(tapName(name)).append('\n');
                case SKIPPED -> sb.append("ok ").append(n).append(" - ").append(tapName(name)).append(" # SKIP ")
                        .append(firstLine(msg)).append('\n');
                case FAILED, ERROR -> {
                    sb.append("not ok ").append(n).append(" - ").append(tapName(name)).append('\n');
                    sb.append("  ---\n  severity: ").append(effective(c, strict) == Status.ERROR ? "error" : "fail").append('\n');
                    sb.append("  message: |\n");
                    for (String line : msg.split("\n", -1)) sb.append("    ").append(line).append('\n');
                    sb.append("  ...\n");
                }
            }
        }
        return sb.toString();
    }

    /** A skip under --strict is a failure, with its reason. */
    private static Status effective(Case c, boolean strict) {
        return strict && c.status() == Status.SKIPPED ? Status.FAILED : c.status();
    }

    /** TAP reserves '#' in a description; so does the directive parser. */
    private static String tapName(String s) {
        return s.replace("\\", "\\\\").replace("#", "\\#");
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    static String xml(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\n' -> sb.append("&#10;");
                default -> {
                    if (c < 0x20 && c != '\t') sb.append("&#").append((int) c).append(';');
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
