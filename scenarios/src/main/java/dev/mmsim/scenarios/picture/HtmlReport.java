package dev.mmsim.scenarios.picture;

import dev.mmsim.proc.ScanResult;
import dev.mmsim.proc.TraceEvent;
import dev.mmsim.scenarios.picture.Snapshot.*;
import dev.mmsim.scenarios.run.Backend;
import dev.mmsim.scenarios.run.Interpreter;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Transcript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page (inline SVG and CSS, a few lines of script, nothing fetched) that
 * shows scenarios statement by statement: for each, the VMA strip, the scan's regions, the
 * page-table tree with the walk drawn on it, and the trace. Previous/next buttons (and the arrow
 * keys) step through the statements; without script every statement is shown, one below the
 * other.
 *
 * <p>Use: {@link #observer()} for each scenario's simulator replay, then {@link #add} its
 * transcript (and, for {@code diff --html}, the kernel's), then {@link #write}.
 */
public final class HtmlReport {
    private final String title;
    private final List<Chapter> chapters = new ArrayList<>();
    private List<Picture> pending = new ArrayList<>();
    private List<Picture> pendingKernel = new ArrayList<>();

    /** One statement's picture: its transcript line and the state it left. */
    record Picture(Transcript.Line line, Snapshot snapshot) {}

    private record Chapter(Transcript sim, Transcript kernel, List<Picture> pictures, List<Picture> kernelPictures) {}

    public HtmlReport(String title) {
        this.title = title;
    }

    /** A fresh observer for the next scenario's simulator replay. */
    public Interpreter.Observer observer() {
        pending = new ArrayList<>();
        return recorder(pending);
    }

    /**
     * A fresh observer for the next scenario's kernel replay ({@code diff --html}); each call
     * starts over, so that only the last attempt's pictures are kept. The kernel's VMAs come from
     * its smaps and its regions from its scans; it has no page tables to draw.
     */
    public Interpreter.Observer kernelObserver() {
        pendingKernel = new ArrayList<>();
        return recorder(pendingKernel);
    }

    private static Interpreter.Observer recorder(List<Picture> into) {
        Map<Backend, Snapshot> last = new IdentityHashMap<>();
        Map<Backend, String> names = new HashMap<>();
        return (Transcript.Line line, Backend target, Layout layout, ScanResult scan, List<TraceEvent> trace) -> {
            String process = line.statement().matches("^[A-Za-z_][A-Za-z0-9_]*: .*")
                    ? line.statement().substring(0, line.statement().indexOf(':')) : "main";
            names.putIfAbsent(target, process);
            Snapshot s;
            try {
                s = MmState.capture(names.get(target), target, layout, last.get(target), scan, trace);
                last.put(target, s);
            } catch (RuntimeException e) {
                // the kernel backend's agent could not answer (a process that is gone): say so, go on
                s = Snapshot.unavailable(names.get(target), String.valueOf(e.getMessage()));
            }
            into.add(new Picture(line, s));
        };
    }

    /**
     * Adds a replayed scenario: its simulator transcript (whose replay the last {@link #observer()}
     * watched) and, for a diff, the kernel's (null otherwise).
     */
    public void add(Transcript sim, Transcript kernel) {
        chapters.add(new Chapter(sim, kernel, pending, kernel == null ? List.of() : pendingKernel));
        pending = new ArrayList<>();
        pendingKernel = new ArrayList<>();
    }

    /** The number of statements drawn so far. */
    public int statements() {
        int n = 0;
        for (Chapter c : chapters) n += c.pictures().size();
        return n;
    }

    /** Every statement's picture so far, in order. */
    List<Picture> pictures() {
        List<Picture> out = new ArrayList<>();
        for (Chapter c : chapters) out.addAll(c.pictures());
        return out;
    }

    public void write(Path out) throws IOException {
        Files.writeString(out, render(), StandardCharsets.UTF_8);
    }

    public String render() {
        Svg h = new Svg();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .raw("<meta name=\"viewport\" content=\"width=1280\">\n<title>").text(title).raw("</title>\n<style>")
                .raw(CSS).raw(SVG_CSS).raw("</style>\n</head>\n<body>\n").raw(PATTERNS);
        h.raw("<header>\n<h1>").text(title).raw("</h1>\n");
        h.raw("<nav class=\"stepper\" aria-label=\"statements\">"
                + "<button type=\"button\" id=\"prev\" accesskey=\"p\">\u25c0 previous</button> "
                + "<span id=\"position\" aria-live=\"polite\">every statement below</span> "
                + "<button type=\"button\" id=\"next\" accesskey=\"n\">next \u25b6</button> "
                + "<label><input type=\"checkbox\" id=\"show-all\"> show all statements</label>"
                + " <span class=\"hint\">keys: \u2190 \u2192</span></nav>\n</header>\n");
        h.raw(Legend.html());
        h.raw("<main>\n");
        int n = 0;
        for (Chapter c : chapters) {
            h.raw("<article class=\"scenario\">\n<h2>scenario ").text(c.sim().scenario()).raw("</h2>\n<p class=\"meta\">");
            if (c.sim().file() != null) h.text(c.sim().file().toString()).raw(" \u00b7 ");
            for (String line : c.sim().header()) if (!line.startsWith("scenario:")) h.text(line).raw(" \u00b7 ");
            h.text("outcome: " + c.sim().outcome().render()).raw("</p>\n");
            if (c.kernel() != null) {
                h.raw("<p class=\"meta\">kernel: ");
                for (String line : c.kernel().header()) if (line.startsWith("host:")) h.text(line).raw(" \u00b7 ");
                h.text("outcome: " + c.kernel().outcome().render()).raw("</p>\n");
            }
            h.raw("<ol class=\"toc\">");
            for (Picture p : c.pictures()) {
                n++;
                h.raw("<li><a href=\"#s" + n + "\">").text(p.line().line() + ": " + p.line().statement()).raw("</a></li>");
            }
            h.raw("</ol>\n");
            n -= c.pictures().size();
            for (Picture p : c.pictures()) section(h, ++n, p, c.kernel(), c.kernelPictures());
            h.raw("</article>\n");
        }
        h.raw("</main>\n<script>").raw(SCRIPT).raw("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void section(Svg h, int n, Picture p, Transcript kernel, List<Picture> kernelPictures) {
        Transcript.Line line = p.line();
        Transcript.Line k = kernel == null ? null : kernelLine(kernel, line.line());
        boolean differs = kernel != null && k != null && !String.valueOf(k.result()).equals(String.valueOf(line.result()));
        Snapshot s = p.snapshot();
        h.raw("<section class=\"step" + (differs ? " differs" : "") + "\" id=\"s" + n + "\" data-line=\"" + line.line()
                + "\" data-process=\"" + Svg.esc(s.process()) + "\">\n");
        h.raw("<h3><span class=\"lineno\">").text(line.line() + ":").raw("</span> <code>").text(line.statement()).raw("</code>");
        if (line.result() != null) h.raw(" \u21d2 <code class=\"result\">").text(line.result()).raw("</code>");
        h.raw("</h3>\n");
        if (kernel != null && !kernel.lines().isEmpty()) {
            if (k == null) {
                h.raw("<p class=\"kernel\">kernel: no result (").text(kernel.outcome().render()).raw(")</p>\n");
            } else if (differs) {
                h.raw("<p class=\"kernel differ\"><strong>differs</strong> \u2014 simulator: <code>").text(String.valueOf(line.result()))
                        .raw("</code>, kernel: <code>").text(String.valueOf(k.result())).raw("</code></p>\n");
            } else {
                h.raw("<p class=\"kernel agree\">kernel: the same</p>\n");
            }
        }
        if (s.missing() != null) h.raw("<p class=\"note\">state not available: ").text(s.missing()).raw("</p>\n");
        if (!s.process().equals("main")) h.raw("<p class=\"note\">process <code>").text(s.process()).raw("</code></p>\n");
        if (!s.removed().isEmpty()) h.raw("<p class=\"note\">unmapped: ").text(String.join(", ", s.removed())).raw("</p>\n");
        h.raw("<div class=\"picture\">").raw(StripSvg.draw(s)).raw("</div>\n");
        Picture kp = differs ? kernelPicture(kernelPictures, line.line()) : null;
        if (kp != null) {
            h.raw("<p class=\"kernel differ\">the kernel's VMAs and regions after this statement:</p>\n");
            h.raw("<div class=\"picture kernel-side\">").raw(StripSvg.draw(kp.snapshot())).raw("</div>\n");
            h.raw("<p class=\"note\">the simulator's, with its page tables:</p>\n");
        }
        if (s.rows().isEmpty() && !s.vmas().isEmpty()) {
            h.raw("<p class=\"note\">no page tables drawn: this backend does not show them</p>\n");
        } else {
            h.raw("<div class=\"picture\">").raw(TreeSvg.draw(s)).raw("</div>\n");
        }
        if (!line.notes().isEmpty()) {
            h.raw("<pre class=\"trace\">");
            for (String note : line.notes()) h.text("#   " + note + "\n");
            h.raw("</pre>\n");
        }
        h.raw("</section>\n");
    }

    private static Picture kernelPicture(List<Picture> pictures, int line) {
        for (Picture p : pictures) if (p.line().line() == line) return p;
        return null;
    }

    private static Transcript.Line kernelLine(Transcript kernel, int line) {
        for (Transcript.Line l : kernel.lines()) if (l.line() == line) return l;
        return null;
    }

    static final String PATTERNS = """
            <svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
            <pattern id="p-guard" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#D55E00"/><rect width="2" height="6" fill="#ffffff"/></pattern>
            <pattern id="p-wp" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#0072B2"/><rect width="2" height="6" fill="#CC79A7"/></pattern>
            <pattern id="p-hzero" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="#56B4E9"/><rect width="3" height="8" fill="#009E73"/></pattern>
            <pattern id="p-mixed" width="4" height="4" patternUnits="userSpaceOnUse"><rect width="4" height="4" fill="#ffffff"/><rect width="2" height="2" fill="#555555"/><rect x="2" y="2" width="2" height="2" fill="#555555"/></pattern>
            <pattern id="p-none-vma" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#eeeeee"/><rect width="1" height="6" fill="#999999"/></pattern>
            </defs></svg>
            """;

    /** The page's own style; the pictures' style is {@link #SVG_CSS}. */
    static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1232px;padding:0 16px;color:#111;background:#fff}
            header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ccc;padding:6px 0;z-index:2}
            h1{font-size:20px;margin:4px 0}h2{font-size:18px;margin:16px 0 4px}h3{font-size:15px;margin:8px 0;font-weight:600}
            code,pre,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace}
            .stepper button{font-size:14px;padding:4px 12px}.stepper #position{display:inline-block;min-width:200px;text-align:center}
            .hint,.meta,.note{color:#444}.meta{font-size:13px}
            .toc{columns:3;font-size:12px;margin:4px 0 8px 0}
            section.step{border-top:2px solid #ddd;padding:4px 0 12px}section.step.current{border-top-color:#0072B2}
            section.step.differs h3{background:#fde8dc}
            .kernel.differ{background:#fde8dc;padding:2px 6px}.kernel.agree{color:#006646}
            pre.trace{background:#f6f6f6;padding:6px;font-size:12px;overflow-x:auto}
            .picture{overflow-x:auto}
            .legend{border:1px solid #ccc;padding:4px 8px;margin:8px 0;background:#fcfcfc}
            .legend summary{cursor:pointer}.legend h2{display:inline;font-size:14px;margin:2px 0}.legend p{margin:2px 0;font-size:12px}
            """;

    /** The style of the pictures, also embedded in standalone figures ({@link Figure}). */
    static final String SVG_CSS = """
            svg text{font-size:11px;fill:#111}svg text.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:11px}
            svg text.small{font-size:10px;fill:#333}svg text.col{font-size:11px;font-weight:600;fill:#333}
            svg text.note{fill:#555;font-style:italic}svg text.badge{fill:#A33F00;font-weight:700;font-size:10px}
            svg text.on-dark{fill:#000;stroke:#fff;stroke-width:3px;paint-order:stroke;font-weight:600}
            rect.upper,rect.pmd-table{fill:#eef3f8;stroke:#2b4a66}rect.pmd-leaf{fill:#ddf2ea;stroke:#00664a}
            rect.hole{fill:#fff;stroke:#555;stroke-dasharray:4 3}
            rect.frame{fill:none;stroke:#333;stroke-width:.6}
            rect.pte.none{fill:#f0f0f0}rect.pte.present{fill:#0072B2}rect.pte.zero{fill:#56B4E9}rect.pte.present-wp{fill:url(#p-wp)}
            rect.pte.swap{fill:#E69F00}rect.pte.guard{fill:url(#p-guard)}rect.pte.uffd-wp{fill:#CC79A7}rect.pte.mixed{fill:url(#p-mixed)}
            rect.leaf.thp{fill:#009E73}rect.leaf.huge-zero{fill:url(#p-hzero)}rect.leaf.hugetlb{fill:#F0E442;stroke:#8a7d00}
            rect.leaf.hugetlb-none{fill:#fffbe0;stroke:#8a7d00;stroke-dasharray:4 3}rect.leaf.leaf-swap{fill:#E69F00}
            rect.changed-mark{fill:#D55E00}rect.walked{fill:none;stroke:#000;stroke-width:2.5}rect.walk-bracket,rect.walk-span{fill:#000}
            .vma-box{stroke:#222;stroke-width:1}.vma-box.prot-rw{fill:#e3eef8}.vma-box.prot-ro{fill:#f4f4f4}.vma-box.prot-none{fill:url(#p-none-vma)}
            .vma.changed .vma-box{stroke:#D55E00;stroke-width:2.5;stroke-dasharray:7 3}
            .region-box{stroke:#222;stroke-width:.6}.region-box.present{fill:#0072B2}.region-box.zero{fill:#56B4E9}
            .region-box.swap{fill:#E69F00}.region-box.guard{fill:url(#p-guard)}.region-box.thp{fill:#009E73}
            .region-box.written{fill:#c9d7e6}.region-box.nocat{fill:#fff;stroke-dasharray:3 2}
            """;

    static final String SCRIPT = """
            (function () {
              var steps = Array.prototype.slice.call(document.querySelectorAll('section.step'));
              var prev = document.getElementById('prev'), next = document.getElementById('next');
              var all = document.getElementById('show-all'), pos = document.getElementById('position');
              var current = 0;
              function show(i) {
                if (!steps.length) { pos.textContent = 'no statements'; return; }
                current = Math.max(0, Math.min(steps.length - 1, i));
                steps.forEach(function (s, k) {
                  s.hidden = !all.checked && k !== current;
                  s.classList.toggle('current', k === current);
                });
                pos.textContent = 'statement ' + (current + 1) + ' of ' + steps.length;
                prev.disabled = current === 0;
                next.disabled = current === steps.length - 1;
                try { history.replaceState(null, '', '#' + steps[current].id); } catch (e) { /* file: URLs may refuse */ }
                if (all.checked) steps[current].scrollIntoView({block: 'start'});
              }
              function fromHash() {
                var id = location.hash.slice(1);
                for (var k = 0; k < steps.length; k++) if (steps[k].id === id) return k;
                return 0;
              }
              prev.addEventListener('click', function () { show(current - 1); });
              next.addEventListener('click', function () { show(current + 1); });
              all.addEventListener('change', function () { show(current); });
              document.addEventListener('keydown', function (e) {
                if (e.target && e.target.tagName === 'INPUT') return;
                if (e.key === 'ArrowRight' || e.key === 'n') { show(current + 1); e.preventDefault(); }
                if (e.key === 'ArrowLeft' || e.key === 'p') { show(current - 1); e.preventDefault(); }
              });
              document.querySelectorAll('.toc a').forEach(function (a) {
                a.addEventListener('click', function (e) {
                  var id = a.getAttribute('href').slice(1);
                  for (var k = 0; k < steps.length; k++) if (steps[k].id === id) { show(k); e.preventDefault(); }
                });
              });
              window.addEventListener('hashchange', function () { show(fromHash()); });
              show(fromHash());
            })();
            """;
}
