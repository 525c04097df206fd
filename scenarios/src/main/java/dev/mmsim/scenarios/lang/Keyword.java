package dev.mmsim.scenarios.lang;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The statement keywords, in the order the user guide lists them, each with the synopsis of its
 * required arguments that error messages quote ({@code mmap needs NAME SIZE PROT FLAG...}). A
 * keyword is its constant's name in lower case.
 */
enum Keyword {
    SCENARIO("NAME"),
    MIRRORS("TEXT"),
    REQUIRES("FEATURE..."),
    PROFILE("NAME"),
    FILE("NAME SIZE"),
    MEMFD("NAME SIZE"),
    TRUNCATE("F SIZE"),
    SEAL("F SEAL..."),
    REOPEN("F ro|rw"),
    MMAP("NAME SIZE PROT FLAG..."),
    MUNMAP("ADDR SIZE"),
    MPROTECT("ADDR SIZE PROT"),
    MADVISE("ADDR SIZE ADVICE"),
    PROCESS_MADVISE("ADVICE ADDR SIZE [ADDR SIZE]..."),
    MREMAP("ADDR OLDSIZE NEWSIZE"),
    MLOCK("ADDR SIZE"),
    MUNLOCK("ADDR SIZE"),
    MSEAL("ADDR SIZE"),
    PRCTL("OPTION on|off"),
    UPROBE("F OFFSET"),
    READ("ADDR [SIZE]"),
    WRITE("ADDR [SIZE] [value N]"),
    FORK("CHILD"),
    EXIT(""),
    UFFD_REGISTER("ADDR SIZE MODE..."),
    UFFD_WP("ADDR SIZE on|off"),
    UFFD_UNREGISTER("ADDR SIZE"),
    UFFD_CLOSE(""),
    UFFD_COPY("ADDR SIZE"),
    UFFD_ZEROPAGE("ADDR SIZE"),
    UFFD_CONTINUE("ADDR SIZE"),
    CLEAR_REFS("N"),
    SCAN("ADDR SIZE"),
    PAGEMAP("ADDR [SIZE]"),
    PAGEMAP_RAW("OFFSET COUNT"),
    SMAPS("[ADDR SIZE]"),
    MAPS("[ADDR SIZE]"),
    STATUS(""),
    VALUES("ADDR [SIZE]"),
    SET("SEMANTIC on|off"),
    TRACE("scan ADDR SIZE");

    private static final List<String> WORDS = Arrays.stream(values()).map(Keyword::word).toList();

    private final String arguments;

    Keyword(String arguments) {
        this.arguments = arguments;
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The required arguments, e.g. {@code ADDR SIZE} for munmap. */
    String arguments() {
        return arguments;
    }

    /** The keyword and its required arguments, e.g. {@code munmap ADDR SIZE}. */
    String synopsis() {
        return arguments.isEmpty() ? word() : word() + " " + arguments;
    }

    /** Header statements describe the scenario and must come before the first operation. */
    boolean isHeader() {
        return this == SCENARIO || this == MIRRORS || this == REQUIRES || this == PROFILE;
    }

    /** Every keyword, for "did you mean" hints. */
    static List<String> words() {
        return WORDS;
    }

    /** The keyword spelt {@code word}, or null. */
    static Keyword byWord(String word) {
        for (Keyword k : values()) {
            if (k.word().equals(word)) {
                return k;
            }
        }
        return null;
    }
}
