package dev.mmsim.scenarios.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a replay's results back into its scenario as {@code => RESULT} expectations (the
 * golden-file update of {@code mmsim replay --bless}), touching nothing else: comments, blank
 * lines, spacing inside statements and line endings stay as they were. A statement with an
 * expectation has it replaced (an expectation continued over several lines with {@code \} becomes
 * one line, the comments of its continuation lines kept on lines of their own); one without gets
 * {@code  => RESULT} at the end of its last line, before its comment. Statements without a result
 * (scenario, requires, ...) and those the replay did not reach are left alone.
 */
public final class Bless {
    private Bless() {}

    private static final Pattern EOL = Pattern.compile("\r\n|\r|\n");

    /** One physical line: its text without the line break, and the break itself ("" at the end). */
    private record Physical(String text, String eol) {
        String code() {
            int hash = text.indexOf('#');
            return hash < 0 ? text : text.substring(0, hash);
        }

        String comment() {
            int hash = text.indexOf('#');
            return hash < 0 ? "" : text.substring(hash);
        }

        boolean continues() {
            String c = code().stripTrailing();
            return c.endsWith("\\");
        }
    }

    /** The scenario text with the results of {@code transcript} as its expectations. */
    public static String rewrite(String text, Transcript transcript) {
        Map<Integer, String> results = new HashMap<>();
        for (Transcript.Line l : transcript.lines()) if (l.result() != null) results.put(l.line(), l.result());
        List<Physical> lines = split(text);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < lines.size()) {
            String result = results.get(i + 1);
            if (result == null) {
                out.append(lines.get(i).text()).append(lines.get(i).eol());
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < lines.size() && lines.get(j).continues()) j++;
            int k = -1;
            for (int m = i; m <= j; m++) {
                if (lines.get(m).code().contains("=>")) {
                    k = m;
                    break;
                }
            }
            if (k < 0) {
                for (int m = i; m < j; m++) out.append(lines.get(m).text()).append(lines.get(m).eol());
                out.append(withResult(lines.get(j), lines.get(j).code().stripTrailing(), result));
            } else {
                for (int m = i; m < k; m++) out.append(lines.get(m).text()).append(lines.get(m).eol());
                String code = lines.get(k).code();
                String before = code.substring(0, code.indexOf("=>")).stripTrailing();
                Physical last = lines.get(j);
                out.append(withResult(new Physical(lines.get(k).text(), last.eol()), before, result));
                for (int m = k + 1; m <= j; m++) {
                    String comment = lines.get(m).comment();
                    if (!comment.isEmpty()) out.append(comment).append(lines.get(m).eol());
                }
            }
            i = j + 1;
        }
        return out.toString();
    }

    /** {@code before => result}, then the line's comment after the spacing it had, then its break. */
    private static String withResult(Physical line, String before, String result) {
        String code = line.code();
        String comment = line.comment();
        StringBuilder sb = new StringBuilder(before).append(before.isEmpty() ? "" : " ").append("=> ").append(result);
        if (!comment.isEmpty()) {
            String gap = code.substring(code.stripTrailing().length());
            sb.append(gap.isEmpty() ? " " : gap).append(comment);
        }
        return sb.append(line.eol()).toString();
    }

    private static List<Physical> split(String text) {
        List<Physical> lines = new ArrayList<>();
        Matcher m = EOL.matcher(text);
        int start = 0;
        while (m.find()) {
            lines.add(new Physical(text.substring(start, m.start()), m.group()));
            start = m.end();
        }
        if (start < text.length()) lines.add(new Physical(text.substring(start), ""));
        return lines;
    }
}
