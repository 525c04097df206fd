/**
 * Pictures of the simulator's state, statement by statement: the VMA strip, the 4-level page-table
 * tree over the touched ranges, PAGEMAP_SCAN's regions and the walk drawn on the tree, written as
 * one self-contained HTML page with inline SVG ({@code mmsim replay --html}, {@code diff --html}),
 * and the SVG curve of {@code explore sticky}.
 *
 * <p>Where to start: {@link dev.mmsim.scenarios.picture.HtmlReport} observes a replay and writes
 * the page; {@link dev.mmsim.scenarios.picture.MmState} is the only class that reads the
 * simulator's mm (VMAs through smaps, tables through {@code PageTables}, entries through the
 * decoded {@code Pte} view) and turns it into the plain records of
 * {@link dev.mmsim.scenarios.picture.Snapshot}; {@link dev.mmsim.scenarios.picture.TreeSvg} and
 * {@link dev.mmsim.scenarios.picture.StripSvg} draw those records; {@link dev.mmsim.scenarios.picture.Figure}
 * makes standalone SVG files of single statements (the teaching guide's pictures) and
 * {@link dev.mmsim.scenarios.picture.CurveSvg} the line chart of {@code explore sticky --svg}.
 *
 * <p>Invariants: a picture is never drawn page by page: PTE entries are drawn as runs, identical
 * neighbouring tables and holes as one row, and at most {@link dev.mmsim.scenarios.picture.MmState#MAX_ROWS}
 * rows per statement. Colours are the Okabe-Ito palette (safe for the common colour-vision
 * deficiencies), and every kind also differs in pattern or outline, and is named in text.
 */
package dev.mmsim.scenarios.picture;
