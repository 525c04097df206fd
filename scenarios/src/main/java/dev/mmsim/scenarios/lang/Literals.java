package dev.mmsim.scenarios.lang;

import dev.mmsim.core.Madvise;
import dev.mmsim.core.PageCategory;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantic;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Converters from one token to a value of the language. Each throws a {@link LineError} at the
 * token, naming it, when the token is malformed; none of them looks at names a scenario defines
 * (that is {@link Scope}'s job).
 */
final class Literals {
    private static final Pattern SCENARIO_NAME =
            Pattern.compile("[a-z][a-z0-9_-]*(/[a-z][a-z0-9_-]*)*");
    private static final Pattern PROFILE = Pattern.compile("linux-6\\.(0|[1-9][0-9]?)");
    private static final String NO_CATEGORIES = "none";

    private static final List<String> ADVICE =
            Arrays.stream(Madvise.values()).map(Madvise::scenarioName).toList();
    private static final List<String> SEMANTICS =
            Arrays.stream(Semantic.values()).map(s -> s.scenarioName).toList();
    private static final List<String> CATEGORIES = Stream.concat(
            Arrays.stream(PageCategory.values()).map(c -> c.scenarioName),
            Stream.of(ScanStmt.ALL, NO_CATEGORIES)).toList();

    private Literals() {}

    /** SIZE, see {@link Size#parse}. */
    static Size size(Token token) {
        try {
            return Size.parse(token.text());
        } catch (IllegalArgumentException e) {
            throw new LineError(token, e.getMessage());
        }
    }

    /** ADDR or RAWADDR, see {@link Addr#parse}; the caller checks the base. */
    static Addr address(Token token) {
        try {
            return Addr.parse(token.text());
        } catch (IllegalArgumentException e) {
            throw new LineError(token, e.getMessage());
        }
    }

    /** PROT: {@code none} or letters from r, w, x in that order. */
    static Prot prot(Token token) {
        Prot prot = Prot.parse(token.text());
        if (prot == null) {
            throw new LineError(token,
                    "bad prot " + Words.quote(token.text()) + " (expected none, or r, w, x in that order)");
        }
        return prot;
    }

    /** ADVICE: a MADV_ name without the prefix, in lower case; or the kernel's MADV_ name. */
    static Madvise advice(Token token) {
        String kernel = Spelling.kernelName(token.text(), "MADV_");
        Madvise advice = Madvise.byScenarioName(kernel != null ? kernel : token.text());
        if (advice == null) {
            throw Spelling.unknown("madvise advice", token, ADVICE);
        }
        return advice;
    }

    /** CATS accepts the kernel's PAGE_IS_ names; FLAG its PM_SCAN_ names. */

    /** SEMANTIC: a simulator semantic's name. */
    static Semantic semantic(Token token) {
        Semantic semantic = Semantic.byName(token.text());
        if (semantic == null) {
            throw Spelling.unknown("semantic", token, SEMANTICS);
        }
        return semantic;
    }

    /** {@code on} (true) or {@code off} (false). */
    static boolean onOff(Token token) {
        return switch (token.text()) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new LineError(token, "expected on or off, got " + Words.quote(token.text()));
        };
    }

    /** {@code ro} (true) or {@code rw} (false), for reopen. */
    static boolean readOnly(Token token) {
        return switch (token.text()) {
            case "ro" -> true;
            case "rw" -> false;
            default -> throw new LineError(token, "expected ro or rw, got " + Words.quote(token.text()));
        };
    }

    /** A non-negative integer, decimal or hex; {@code what} names it in the error. */
    static long count(Token token, String what) {
        return nonNegative(token, "a non-negative integer for " + what);
    }

    /** An ioctl request number (scan's {@code cmd}): an unsigned 32-bit integer, decimal or 0x hex. */
    static long ioctlCommand(Token token) {
        long value = count(token, "cmd");
        if (value > 0xffffffffL) {
            throw new LineError(token, "ioctl request " + Words.quote(token.text()) + " does not fit 32 bits");
        }
        return value;
    }

    /** The value of {@code clear_refs}. */
    static int clearRefsValue(Token token) {
        long value = count(token, "clear_refs");
        if (value > Integer.MAX_VALUE) {
            throw new LineError(token, "clear_refs value " + Words.quote(token.text()) + " does not fit an int");
        }
        return (int) value;
    }

    /** The value of scan's {@code vec}: a length, or {@code null} (empty) for a NULL vector. */
    static OptionalLong vec(Token token) {
        if (token.text().equals("null")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(nonNegative(token, "a non-negative integer or null for vec"));
    }

    private static long nonNegative(Token token, String expected) {
        return Numbers.nonNegative(token.text()).orElseThrow(
                () -> new LineError(token, "expected " + expected + ", got " + Words.quote(token.text())
                        + Numbers.asciiNote(token.text())));
    }

    /**
     * CATS: category names, {@code all}, {@code none} or numbers (raw bits, for error paths),
     * joined by {@code |}.
     */
    static long categories(Token token) {
        long categories = 0;
        for (String word : token.text().split("\\|", -1)) {
            categories |= category(token, word);
        }
        return categories;
    }

    private static long category(Token token, String word) {
        if (word.equals(ScanStmt.ALL)) {
            return PageCategory.PM_SCAN_CATEGORIES;
        }
        if (word.equals(NO_CATEGORIES)) {
            return 0;
        }
        String kernel = Spelling.kernelName(word, "PAGE_IS_");
        PageCategory category = PageCategory.byName(kernel != null ? kernel : word);
        return category != null ? category.mask() : rawBits(token, word, "category", CATEGORIES);
    }

    /** FLAG,...: PM_SCAN flag names or numbers (raw bits), joined by commas. */
    static long scanFlags(Token token) {
        long flags = 0;
        for (String word : token.text().split(",", -1)) {
            String kernel = Spelling.kernelName(word, "PM_SCAN_");
            long bit = ScanStmt.flagBit(kernel != null ? kernel : word);
            flags |= bit != 0 ? bit : rawBits(token, word, "scan flag", ScanStmt.FLAG_NAMES);
        }
        return flags;
    }

    /** A number standing for raw bits in a list of names; any other word is an unknown {@code kind}. */
    private static long rawBits(Token token, String word, String kind, List<String> names) {
        Token part = new Token(word, token.pos());
        if (word.isEmpty() || !Character.isDigit(word.charAt(0))) {
            throw Spelling.unknown(kind, part, names);
        }
        return nonNegative(part, "a name or a number for raw " + kind + " bits");
    }

    /** A profile name: {@code linux-6.N} for a release with a profile, or {@code newest}. */
    static String profile(Token token) {
        String name = token.text();
        if (!name.equals(ProfileStmt.NEWEST) && !isProfiledRelease(name)) {
            throw new LineError(token, "unknown profile " + Words.quote(name) + " (expected linux-6."
                    + ProfileStmt.OLDEST_MINOR + " .. linux-6." + ProfileStmt.NEWEST_MINOR
                    + " or newest)");
        }
        return name;
    }

    private static boolean isProfiledRelease(String name) {
        Matcher m = PROFILE.matcher(name);
        if (!m.matches()) {
            return false;
        }
        int minor = Integer.parseInt(m.group(1));
        return minor >= ProfileStmt.OLDEST_MINOR && minor <= ProfileStmt.NEWEST_MINOR;
    }

    /** A scenario name: lower-case names joined by {@code /}. */
    static String scenarioName(Token token) {
        if (!SCENARIO_NAME.matcher(token.text()).matches()) {
            throw new LineError(token, "bad scenario name " + Words.quote(token.text())
                    + " (lower-case letters, digits, _ and -, starting with a letter;"
                    + " / between parts)");
        }
        return token.text();
    }
}
