package dev.mmsim.scenarios.lang;

/**
 * One statement of the scenario language, as a record per keyword.
 *
 * <p>Every statement has a canonical text, {@link #render()}: one space between words, sizes and
 * addresses in their canonical units, flags and options in a fixed order, options at their default
 * value left out. Parsing the canonical text gives back an equal record, and rendering is
 * idempotent; transcripts print statements this way.
 */
public sealed interface Stmt
        permits ScenarioStmt, MirrorsStmt, RequiresStmt, ProfileStmt,
                FileStmt, MemfdStmt, TruncateStmt, SealStmt, ReopenStmt, MmapStmt, MunmapStmt, MprotectStmt, MadviseStmt, ProcessMadviseStmt, MremapStmt,
                MlockStmt, MunlockStmt, MsealStmt, PrctlStmt, UprobeStmt, AccessStmt, ForkStmt, ExitStmt, UffdRegisterStmt, UffdWpStmt, UffdUnregisterStmt, UffdCloseStmt, UffdFillStmt,
                ClearRefsStmt,
                ScanStmt, PagemapStmt, PagemapRawStmt, SmapsStmt, MapsStmt, StatusStmt, ValuesStmt,
                SetStmt {
    /** The canonical text of the statement, without a {@code CHILD:} prefix or expectation. */
    String render();

    /** The first word of {@link #render()}: {@code mmap}, {@code read}, {@code trace}, ... */
    String keyword();
}
