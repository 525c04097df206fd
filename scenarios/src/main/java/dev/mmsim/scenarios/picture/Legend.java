package dev.mmsim.scenarios.picture;

import dev.mmsim.scenarios.picture.Snapshot.EntryKind;
import dev.mmsim.scenarios.picture.Snapshot.LeafKind;

/**
 * The legend of the pictures: one swatch per kind of entry, leaf, table, hole, walk mark, VMA
 * and scan region, each named in words. Colours are Okabe-Ito's; guard markers, uffd-wp bits and
 * the huge zero page are also patterned, holes dashed, so no kind is told by hue alone.
 */
final class Legend {
    private Legend() {}

    private record Item(String cls, String text, boolean outline) {}

    static String html() {
        Svg g = new Svg();
        int columns = 3, colWidth = 390, rowHeight = 20;
        java.util.List<Item> items = new java.util.ArrayList<>();
        for (EntryKind k : EntryKind.values()) items.add(new Item("pte " + k.css, "PTE: " + k.meaning, false));
        items.add(new Item("pte mixed", "PTE: 16 entries of several kinds (a table of many runs)", false));
        for (LeafKind k : LeafKind.values()) items.add(new Item("leaf " + k.css, k.meaning, false));
        items.add(new Item("upper", "entry points to a table of the next level", false));
        items.add(new Item("hole", "hole: entry none, no table below; depth 0/2/3", false));
        items.add(new Item("changed-mark", "the statement changed this row's table or entries", false));
        items.add(new Item("walked", "visited by a walk callback (numbered in order)", true));
        items.add(new Item("walk-bracket", "test_walk's range (one per VMA), its verdict beside it", false));
        items.add(new Item("vma-box prot-rw", "VMA, writable", false));
        items.add(new Item("vma-box prot-ro", "VMA, read-only", false));
        items.add(new Item("vma-box prot-none", "VMA, no access (PROT_NONE)", false));
        items.add(new Item("vma-changed", "VMA created, split, merged, resized by it", true));
        items.add(new Item("region-box written", "scan region: written only", false));
        items.add(new Item("region-box nocat", "scan region: no category (a hole)", false));
        int rows = (items.size() + columns - 1) / columns;
        int height = rows * rowHeight + 6;
        g.raw("<details class=\"legend\" id=\"legend\" open><summary><h2>Legend</h2></summary>");
        g.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + columns * colWidth + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + columns * colWidth + " " + height + "\" role=\"img\" aria-label=\"legend\">");
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            int x = (i / rows) * colWidth + 4;
            int y = (i % rows) * rowHeight + 4;
            g.raw("<g class=\"legend-item\">");
            if (it.cls().equals("vma-changed")) {
                g.raw("<rect x=\"" + x + "\" y=\"" + y + "\" width=\"28\" height=\"14\" class=\"vma-box prot-rw\""
                        + " style=\"stroke:#D55E00;stroke-width:2.5;stroke-dasharray:7 3\"/>");
            } else if (it.cls().equals("walk-bracket")) {
                g.rect(x + 12, y, 3, 14, it.cls(), null);
            } else {
                g.rect(x, y, 28, 14, it.cls(), null);
            }
            g.label(x + 36, y + 11, "small", Svg.fit(it.text(), colWidth - 40));
            g.raw("</g>");
        }
        g.raw("</svg>");
        g.raw("<p>Rows are PMD slots (2 MiB each); runs of equal rows are drawn once with \u00d7N. A PTE table's 512 entries are"
                + " drawn 1 px each as runs, never page by page beyond that. The VMA strip is not to scale: a VMA's width grows"
                + " with the logarithm of its size, \u2248 marks addresses left out. Hover over anything for its exact range.</p>");
        return g.raw("</details>\n").toString();
    }
}
