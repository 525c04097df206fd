package dev.mmsim.scenarios.lang;

import static dev.mmsim.scenarios.lang.Scope.Kind.CHILD;
import static dev.mmsim.scenarios.lang.Scope.Kind.FILE;
import static dev.mmsim.scenarios.lang.Scope.Kind.MAPPING;

import dev.mmsim.core.PageCategory;
import dev.mmsim.core.Prot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The grammar of statements: reads the arguments of one statement into its {@link Stmt} record.
 * {@link #parse} is the table of keywords; the statements with options have a method each.
 *
 * <p>Only the language is checked here: arity, literals, names defined before use, options that
 * contradict each other. Whether the kernel accepts a combination (say {@code dontunmap} without
 * {@code maymove}) is for the replay to find out.
 */
final class StatementParser {
    private static final List<String> MMAP_WORDS = Stream.concat(
            Arrays.stream(MmapFlag.values()).map(MmapFlag::word),
            Stream.of("at", "align", "file", "off")).toList();
    private static final List<String> MREMAP_OPTIONS = List.of("maymove", "fixed", "dontunmap", "as");
    private static final List<String> UFFD_REGISTER_WORDS = Stream.concat(
            Arrays.stream(UffdMode.values()).map(UffdMode::word),
            Stream.of("async", "sigbus", "event_fork", "event_remap")).toList();
    private static final List<String> SCAN_OPTIONS = List.of(
            "flags", "inverted", "mask", "anyof", "return", "vec", "max", "size", "start", "end",
            "vecat", "of", "on", "argat", "cmd");

    private final Scope scope;

    StatementParser(Scope scope) {
        this.scope = scope;
    }

    /** Parses the statement whose keyword and arguments {@code a} holds. */
    Stmt parse(Arguments a) {
        Stmt stmt = switch (a.keyword()) {
            case SCENARIO -> new ScenarioStmt(a.next("NAME", Literals::scenarioName));
            case MIRRORS -> new MirrorsStmt(a.rest("TEXT"));
            case REQUIRES -> requires(a);
            case PROFILE -> new ProfileStmt(a.next("NAME", Literals::profile));
            case FILE -> new FileStmt(a.next("NAME", this::newFile), size(a));
            case MEMFD -> new MemfdStmt(a.next("NAME", this::newFile), size(a));
            case TRUNCATE -> new TruncateStmt(a.next("F", this::file), size(a));
            case SEAL -> seal(a);
            case REOPEN -> new ReopenStmt(a.next("F", this::file), a.next("ro|rw", Literals::readOnly));
            case MMAP -> mmap(a);
            case MUNMAP -> new MunmapStmt(addr(a), size(a));
            case MPROTECT -> new MprotectStmt(addr(a), size(a), a.next("PROT", Literals::prot));
            case MADVISE -> new MadviseStmt(addr(a), size(a), a.next("ADVICE", Literals::advice));
            case PROCESS_MADVISE -> processMadvise(a);
            case MREMAP -> mremap(a);
            case MLOCK -> new MlockStmt(addr(a), size(a));
            case MUNLOCK -> new MunlockStmt(addr(a), size(a));
            case MSEAL -> new MsealStmt(addr(a), size(a));
            case UPROBE -> new UprobeStmt(a.next("F", this::file), a.next("OFFSET", Literals::size));
            case PRCTL -> new PrctlStmt(a.next("OPTION", StatementParser::prctlOption), a.next("on|off", Literals::onOff));
            case READ -> read(a);
            case WRITE -> write(a);
            case FORK -> new ForkStmt(a.next("CHILD", this::newChild));
            case EXIT -> new ExitStmt();
            case UFFD_REGISTER -> uffdRegister(a);
            case UFFD_WP -> new UffdWpStmt(addr(a), size(a), a.next("on|off", Literals::onOff));
            case UFFD_UNREGISTER -> new UffdUnregisterStmt(addr(a), size(a));
            case UFFD_CLOSE -> new UffdCloseStmt();
            case UFFD_COPY -> uffdFill(a, UffdFillStmt.Fill.COPY);
            case UFFD_ZEROPAGE -> uffdFill(a, UffdFillStmt.Fill.ZEROPAGE);
            case UFFD_CONTINUE -> uffdFill(a, UffdFillStmt.Fill.CONTINUE);
            case CLEAR_REFS -> new ClearRefsStmt(a.next("N", Literals::clearRefsValue));
            case SCAN -> scan(a, false);
            case TRACE -> trace(a);
            case PAGEMAP -> new PagemapStmt(addr(a), a.optional(Literals::size));
            case PAGEMAP_RAW -> pagemapRaw(a);
            case SMAPS -> rangeOrArena(a, SmapsStmt::new);
            case MAPS -> rangeOrArena(a, MapsStmt::new);
            case STATUS -> new StatusStmt();
            case VALUES -> new ValuesStmt(pageAddr(a, "values"), a.optional(Literals::size));
            case SET ->
                    new SetStmt(a.next("SEMANTIC", Literals::semantic), a.next("on|off", Literals::onOff));
        };
        a.end();
        return stmt;
    }

    private Addr addr(Arguments a) {
        return a.next("ADDR", this::address);
    }

    /**
     * {@code write ADDR [SIZE] [value N]}: the SIZE is optional before {@code value} too, and a
     * write with a value needs a page-aligned ADDR.
     */
    private AccessStmt write(Arguments a) {
        Token start = a.peek();
        Addr addr = addr(a);
        Size size = a.hasMore() && !a.peek().text().equals("value") ? a.next("SIZE", Literals::size) : null;
        if (!a.hasMore()) return new AccessStmt(true, addr, size);
        Token word = a.option("write option", List.of("value"));
        long value = a.value(word, "N", t -> Literals.count(t, "value"));
        checkPageAligned(start, addr, "write ... value");
        return new AccessStmt(true, addr, size, value);
    }

    /** {@code read ADDR [SIZE]}; {@code value} gets a pointer to the statements that have one. */
    private AccessStmt read(Arguments a) {
        Addr addr = addr(a);
        Token next = a.peek();
        if (next != null && next.text().equals("value")) {
            throw new LineError(next, "read has no 'value' (write ADDR [SIZE] value N stores one; values ADDR [SIZE] loads them)");
        }
        return new AccessStmt(false, addr, a.optional(Literals::size));
    }

    /** An ADDR that must be page-aligned: the statement works on whole pages. */
    private Addr pageAddr(Arguments a, String what) {
        Token start = a.peek();
        Addr addr = addr(a);
        checkPageAligned(start, addr, what);
        return addr;
    }

    private static void checkPageAligned(Token at, Addr addr, String what) {
        if (addr.offset() % dev.mmsim.core.Geometry.PAGE_SIZE != 0) {
            throw new LineError(at, what + " needs a page-aligned ADDR, got " + Words.quote(addr.render())
                    + " (it works on whole pages: the value is a page's first 8 bytes)");
        }
    }

    private static Size size(Arguments a) {
        return a.next("SIZE", Literals::size);
    }

    private static RequiresStmt requires(Arguments a) {
        a.requireMore("FEATURE");
        List<String> features = new ArrayList<>();
        while (a.hasMore()) {
            features.add(a.option("feature", RequiresStmt.FEATURES).text());
        }
        return new RequiresStmt(features);
    }

    private SealStmt seal(Arguments a) {
        String file = a.next("F", this::file);
        a.requireMore("SEAL");
        Set<String> seals = new java.util.HashSet<>();
        while (a.hasMore()) {
            seals.add(a.option("seal", SealStmt.WORDS).text());
        }
        return new SealStmt(file, Set.copyOf(seals));
    }

    private MmapStmt mmap(Arguments a) {
        String name = a.next("NAME", this::newMapping);
        Size size = size(a);
        Prot prot = a.next("PROT", Literals::prot);
        a.requireMore("FLAG");
        Addr at = null;
        Size align = null;
        String file = null;
        Size off = null;
        while (a.hasMore()) {
            Token word = a.option("mmap flag or option", MMAP_WORDS);
            switch (word.text()) {
                case "at" -> at = a.value(word, "ADDR", this::address);
                case "align" -> align = a.value(word, "SIZE", Literals::size);
                case "file" -> file = a.value(word, "F", this::file);
                case "off" -> off = a.value(word, "SIZE", Literals::size);
                default -> { } // a flag word: mmapFlags() collects them
            }
        }
        checkMmapFlags(a);
        return new MmapStmt(name, size, prot, mmapFlags(a), at, align, file, off);
    }

    private static void checkMmapFlags(Arguments a) {
        a.exclusive("private", "shared");
        a.exclusive("anon", "file");
        a.dependency("fixed", "at", "at ADDR");
        a.dependency("off", "file", "file F");
        if (!a.has("private") && !a.has("shared")) {
            throw a.fail("mmap needs private or shared");
        }
    }

    /** The flag words given, plus {@code anon} when no file is mapped. */
    private static Set<MmapFlag> mmapFlags(Arguments a) {
        Set<MmapFlag> flags = EnumSet.noneOf(MmapFlag.class);
        for (MmapFlag flag : MmapFlag.values()) {
            if (a.has(flag.word())) {
                flags.add(flag);
            }
        }
        if (!a.has("file")) {
            flags.add(MmapFlag.ANON);
        }
        return flags;
    }

    /** {@code ADVICE ADDR SIZE [ADDR SIZE]...}: the advice, then one or more ranges. */
    private ProcessMadviseStmt processMadvise(Arguments a) {
        dev.mmsim.core.Madvise advice = a.next("ADVICE", Literals::advice);
        List<ProcessMadviseStmt.Range> ranges = new ArrayList<>();
        do {
            ranges.add(new ProcessMadviseStmt.Range(addr(a), size(a)));
        } while (a.hasMore());
        return new ProcessMadviseStmt(advice, ranges);
    }

    private MremapStmt mremap(Arguments a) {
        Addr addr = addr(a);
        Size oldSize = a.next("OLDSIZE", Literals::size);
        Size newSize = a.next("NEWSIZE", Literals::size);
        Addr fixed = null;
        String as = null;
        while (a.hasMore()) {
            Token word = a.option("mremap option", MREMAP_OPTIONS);
            switch (word.text()) {
                case "fixed" -> fixed = a.value(word, "ADDR", this::address);
                case "as" -> as = a.value(word, "NAME", this::newMapping);
                default -> { } // maymove, dontunmap: read back with has()
            }
        }
        return new MremapStmt(addr, oldSize, newSize, a.has("maymove"), fixed, a.has("dontunmap"), as);
    }

    private UffdRegisterStmt uffdRegister(Arguments a) {
        Addr addr = addr(a);
        Size size = size(a);
        a.requireMore("MODE");
        while (a.hasMore()) {
            a.option("uffd_register mode", UFFD_REGISTER_WORDS);
        }
        Set<UffdMode> modes = EnumSet.noneOf(UffdMode.class);
        for (UffdMode mode : UffdMode.values()) {
            if (a.has(mode.word())) {
                modes.add(mode);
            }
        }
        if (modes.isEmpty()) {
            throw a.fail("uffd_register needs a MODE: missing, wp or minor");
        }
        return new UffdRegisterStmt(addr, size, modes, a.has("async"), a.has("sigbus"), a.has("event_fork"),
                a.has("event_remap"));
    }

    /** uffd_copy and uffd_continue take {@code wp}; uffd_zeropage has no write-protect mode. */
    private UffdFillStmt uffdFill(Arguments a, UffdFillStmt.Fill fill) {
        Addr addr = addr(a);
        Size size = size(a);
        if (fill != UffdFillStmt.Fill.ZEROPAGE && a.hasMore()) a.option(fill.keyword() + " option", List.of("wp"));
        return new UffdFillStmt(fill, addr, size, a.has("wp"));
    }

    private ScanStmt trace(Arguments a) {
        a.next("scan", StatementParser::scanKeyword);
        return scan(a, true);
    }

    private static String prctlOption(Token token) {
        if (!PrctlStmt.OPTIONS.contains(token.text())) throw Spelling.unknown("prctl option", token, PrctlStmt.OPTIONS);
        return token.text();
    }

    private static Token scanKeyword(Token token) {
        if (!token.text().equals("scan")) {
            throw new LineError(token, "trace works only with scan, not " + Words.quote(token.text()));
        }
        return token;
    }

    private ScanStmt scan(Arguments a, boolean trace) {
        Addr addr = addr(a);
        Size size = size(a);
        long flags = 0;
        long inverted = 0;
        long mask = 0;
        long anyof = 0;
        long returnMask = PageCategory.PM_SCAN_CATEGORIES;
        OptionalLong vec = OptionalLong.of(ScanStmt.DEFAULT_VEC);
        long max = 0;
        Long rawSize = null;
        Addr rawStart = null;
        Addr rawEnd = null;
        Addr vecAt = null;
        String of = null;
        String on = null;
        Addr argAt = null;
        Long cmd = null;
        while (a.hasMore()) {
            Token key = a.option("scan option", SCAN_OPTIONS);
            switch (key.text()) {
                case "flags" -> flags = a.value(key, "FLAG,...", Literals::scanFlags);
                case "inverted" -> inverted = a.value(key, "CATS", Literals::categories);
                case "mask" -> mask = a.value(key, "CATS", Literals::categories);
                case "anyof" -> anyof = a.value(key, "CATS", Literals::categories);
                case "return" -> returnMask = a.value(key, "CATS", Literals::categories);
                case "vec" -> vec = a.value(key, "N or null", Literals::vec);
                case "max" -> max = a.value(key, "N", t -> Literals.count(t, "max"));
                case "size" -> rawSize = a.value(key, "N", t -> Literals.count(t, "size"));
                case "start" -> rawStart = a.value(key, "RAWADDR", this::rawAddress);
                case "end" -> rawEnd = a.value(key, "RAWADDR", this::rawAddress);
                case "vecat" -> vecAt = a.value(key, "RAWADDR", this::rawAddress);
                case "of" -> of = a.value(key, "CHILD", this::child);
                case "on" -> on = a.value(key, "F", this::file);
                case "argat" -> argAt = a.value(key, "RAWADDR", this::rawAddress);
                case "cmd" -> cmd = a.value(key, "N", Literals::ioctlCommand);
            }
        }
        if (vecAt != null && vec.isEmpty()) {
            throw a.fail("'vecat' conflicts with 'vec null'");
        }
        if (of != null && on != null) {
            throw a.fail("'of' conflicts with 'on'");
        }
        if (trace && (vecAt != null || of != null || on != null || argAt != null || cmd != null)) {
            throw a.fail("trace scan works only on the process's own pagemap with a buffer of its own"
                    + " (no vecat, of, on, argat or cmd)");
        }
        return new ScanStmt(addr, size, flags, inverted, mask, anyof, returnMask,
                vec.orElse(ScanStmt.DEFAULT_VEC), vec.isEmpty(), max, rawSize, rawStart, rawEnd, trace,
                vecAt, of, on, argAt, cmd);
    }

    private PagemapRawStmt pagemapRaw(Arguments a) {
        long offset = a.next("OFFSET", t -> Literals.count(t, "OFFSET"));
        long count = a.next("COUNT", t -> Literals.count(t, "COUNT"));
        Addr bufAt = null;
        while (a.hasMore()) {
            Token key = a.option("pagemap_raw option", List.of("bufat"));
            bufAt = a.value(key, "RAWADDR", this::rawAddress);
        }
        return new PagemapRawStmt(offset, count, bufAt);
    }

    /** {@code [ADDR SIZE]}: both, or neither for the whole arena. */
    private Stmt rangeOrArena(Arguments a, BiFunction<Addr, Size, Stmt> statement) {
        Addr addr = a.optional(this::address);
        return statement.apply(addr, addr == null ? null : size(a));
    }

    /** ADDR: relative to a mapping defined earlier, or to the arena. */
    private Addr address(Token token) {
        Addr addr = Literals.address(token);
        if (addr.base() == null) {
            throw new LineError(token, "raw address " + Words.quote(token.text())
                    + " is allowed only in scan start and end (write arena+OFFSET)");
        }
        return checkBase(token, addr);
    }

    /** RAWADDR: an ADDR, or a raw number for an absolute address. */
    private Addr rawAddress(Token token) {
        Addr addr = Literals.address(token);
        return addr.base() == null ? addr : checkBase(token, addr);
    }

    private Addr checkBase(Token token, Addr addr) {
        if (!addr.base().equals(Addr.ARENA)) {
            scope.use(MAPPING, token, addr.base());
        }
        return addr;
    }

    private String newMapping(Token token) {
        return scope.declare(MAPPING, token);
    }

    private String newFile(Token token) {
        return scope.declare(FILE, token);
    }

    private String newChild(Token token) {
        return scope.declare(CHILD, token);
    }

    private String child(Token token) {
        return scope.use(CHILD, token, token.text());
    }

    private String file(Token token) {
        return scope.use(FILE, token, token.text());
    }
}
