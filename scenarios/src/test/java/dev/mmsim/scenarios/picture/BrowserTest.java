package dev.mmsim.scenarios.picture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The {@code --html} pages in a real browser: Debian's chromium driven by its chromium-driver
 * through Selenium WebDriver, one headless session for every test here. Each teaching scenario's
 * page is rendered, its DOM checked (a section per statement, an element per VMA and per table
 * row, the walk, the legend), a screenshot taken (into target/browser/), and stepping checked.
 * Where Chromium or its driver is missing the tests are skipped, saying which and how to install
 * them ({@code .ci/run} does).
 */
class BrowserTest {
    /** Where Debian installs them; MMSIM_CHROMIUM and MMSIM_CHROMEDRIVER override. */
    static final String CHROMIUM = env("MMSIM_CHROMIUM", "/usr/bin/chromium");
    static final String CHROMEDRIVER = env("MMSIM_CHROMEDRIVER", "/usr/bin/chromedriver");
    static final Path OUT = Path.of(System.getProperty("mmsim.home", ".."), "scenarios/target/browser");

    private static ChromeDriver driver;
    /** Why there is no browser, or null: each test is skipped with it, so that the report says why. */
    private static String missing;

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @BeforeAll
    static void startChromium() throws IOException {
        for (String[] tool : new String[][] {{CHROMIUM, "chromium"}, {CHROMEDRIVER, "chromium-driver"}}) {
            if (!Files.isExecutable(Path.of(tool[0]))) {
                missing = "no " + tool[0] + ": install Debian's " + tool[1] + " (apt-get install chromium chromium-driver;"
                        + " .ci/run does) to run the browser tests";
                return;
            }
        }
        Files.createDirectories(OUT);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--force-device-scale-factor=1", "--no-first-run",
                "--disable-extensions", "--disable-background-networking");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopChromium() {
        if (driver != null) driver.quit();
    }

    /** Skips the calling test, saying why, where there is no browser. */
    private static void needBrowser() {
        Assumptions.assumeTrue(missing == null, missing);
    }

    private static Path write(Path scenario, String html) throws IOException {
        String name = scenario.getFileName().toString().replace(".scn", "");
        Path page = OUT.resolve(name + ".html");
        Files.writeString(page, html);
        return page;
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static long count(String css) {
        return (Long) js("return document.querySelectorAll(arguments[0]).length;", css);
    }

    /** The index of the only section shown, or -1 when not exactly one is. */
    private static long shown() {
        return (Long) js("var v = []; document.querySelectorAll('section.step').forEach(function (s, i) {"
                + " if (s.offsetParent !== null) v.push(i); }); return v.length === 1 ? v[0] : -1;");
    }

    @TestFactory
    Stream<DynamicTest> everyTeachingScenarioRendersInChromium() {
        return Pages.teaching().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            needBrowser();
            Pages.Page page = Pages.render(file);
            driver.get(write(file, page.html()).toUri().toString());
            List<HtmlReport.Picture> pictures = page.pictures();
            assertThat(count("section.step")).isEqualTo(pictures.size()).isEqualTo(page.transcript().lines().size());
            assertThat(count("#legend .legend-item")).isGreaterThanOrEqualTo(20);
            assertThat(driver.findElement(By.id("position")).getText()).isEqualTo("statement 1 of " + pictures.size());
            for (int i = 0; i < pictures.size(); i++) {
                Snapshot s = pictures.get(i).snapshot();
                String sec = "#s" + (i + 1) + " ";
                assertThat(count(sec + "g.vma")).as("VMAs of statement %d", i + 1)
                        .isEqualTo(Math.min(StripSvg.MAX_BOXES, s.vmas().size()));
                assertThat(count(sec + "svg.tree g.row")).as("tree rows of statement %d", i + 1).isEqualTo(s.rows().size());
                long tables = s.rows().stream().filter(r -> r instanceof Snapshot.Table).count();
                long holes = s.rows().stream().filter(r -> r instanceof Snapshot.Hole).count();
                assertThat(count(sec + "g.row.table")).isEqualTo(tables);
                assertThat(count(sec + "g.row.hole")).isEqualTo(holes);
                int callbacks = s.scan() == null ? 0 : s.scan().walk().size();
                assertThat(count(sec + "g.callback")).as("walk of statement %d", i + 1)
                        .isEqualTo(Math.min(TreeSvg.MAX_CALLBACKS, callbacks));
                assertThat(count(sec + "g.region"))
                        .isEqualTo(s.scan() == null ? 0 : Math.min(StripSvg.MAX_BOXES, s.scan().regions().size()));
            }
            // readable at 1280 px: nothing wider than the window, the pictures drawn with their size
            assertThat((Long) js("return document.documentElement.scrollWidth;")).isLessThanOrEqualTo(1280L);
            assertThat((Long) js("return Math.round(document.querySelector('svg.strip').getBoundingClientRect().width);"))
                    .isEqualTo(1200L);
            // self-contained: the page loaded no resource at all
            assertThat((Long) js("return performance.getEntriesByType('resource').length;")).isZero();
            // the last statement, where the lesson's state is complete, as a picture (a new hash steps there)
            driver.get(write(file, page.html()).toUri() + "#s" + pictures.size());
            assertThat(shown()).isEqualTo(pictures.size() - 1);
            byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Path shot = OUT.resolve(file.getFileName().toString().replace(".scn", ".png"));
            Files.write(shot, png);
            assertThat(png.length).isGreaterThan(20_000);
            ByteBuffer header = ByteBuffer.wrap(png, 16, 8);
            assertThat(header.getInt()).as("screenshot width").isEqualTo(1280);
        }));
    }

    /** The page as the command line writes it: {@code mmsim replay --html OUT FILE}. */
    @Test
    void previousAndNextStepThroughTheStatements() throws Exception {
        needBrowser();
        Path file = Pages.teaching().stream().filter(p -> p.endsWith("walk.scn")).findFirst().orElseThrow();
        Path out = OUT.resolve("cli-walk.html");
        assertThat(dev.mmsim.scenarios.cli.Main.execute("replay", "--host-profile", "zero_page=on", "--html",
                out.toString(), file.toString())).isZero();
        int n = Pages.render(file).pictures().size();
        driver.get(out.toUri().toString());
        WebElement prev = driver.findElement(By.id("prev"));
        WebElement next = driver.findElement(By.id("next"));
        WebElement position = driver.findElement(By.id("position"));
        assertThat(shown()).isZero();
        assertThat(prev.isEnabled()).isFalse();
        next.click();
        next.click();
        assertThat(shown()).isEqualTo(2);
        assertThat(position.getText()).isEqualTo("statement 3 of " + n);
        assertThat((String) js("return location.hash;")).isEqualTo("#s3");
        prev.click();
        assertThat(shown()).isEqualTo(1);
        driver.findElement(By.tagName("body")).sendKeys(Keys.ARROW_RIGHT);
        assertThat(shown()).isEqualTo(2);
        for (int i = 0; i < n + 2; i++) driver.findElement(By.tagName("body")).sendKeys(Keys.ARROW_RIGHT);
        assertThat(shown()).isEqualTo(n - 1);
        assertThat(next.isEnabled()).isFalse();
        // a statement chosen in the table of contents, and the current one kept on reload
        driver.findElement(By.cssSelector(".toc a[href='#s2']")).click();
        assertThat(shown()).isEqualTo(1);
        driver.navigate().refresh();
        assertThat(shown()).isEqualTo(1);
        // show all: every section visible, the current one marked
        driver.findElement(By.id("show-all")).click();
        assertThat(shown()).isEqualTo(-1);
        assertThat((Long) js("var v = 0; document.querySelectorAll('section.step').forEach(function (s) {"
                + " if (s.offsetParent !== null) v++; }); return v;")).isEqualTo((long) n);
        assertThat(count("section.step.current")).isEqualTo(1);
        assertThat(driver.findElement(By.cssSelector("section.step.current")).getAttribute("id")).isEqualTo("s2");
    }

    @Test
    void theWalkIsDrawnWhereItWent() throws Exception {
        needBrowser();
        Path file = Pages.teaching().stream().filter(p -> p.endsWith("reclaim.scn")).findFirst().orElseThrow();
        Pages.Page page = Pages.render(file);
        driver.get(write(file, page.html()).toUri() + "#s1");
        int first = -1, second = -1;
        for (int i = 0; i < page.pictures().size(); i++) {
            if (page.pictures().get(i).line().statement().startsWith("trace scan")) {
                if (first < 0) first = i + 1;
                else second = i + 1;
            }
        }
        // before the DONTNEED the third 2 MiB has a PTE table the walk enters; after it, a hole
        @SuppressWarnings("unchecked")
        Map<String, Object> before = (Map<String, Object>) js("var s = document.getElementById(arguments[0]);"
                + " return {entries: s.querySelectorAll('g.callback.pmd_entry').length,"
                + " holes: s.querySelectorAll('g.callback.pte_hole').length,"
                + " titles: Array.prototype.map.call(s.querySelectorAll('g.callback title'), function (t) { return t.textContent; })};",
                "s" + first);
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) js("var s = document.getElementById(arguments[0]);"
                + " return {entries: s.querySelectorAll('g.callback.pmd_entry').length,"
                + " holes: s.querySelectorAll('g.callback.pte_hole').length};", "s" + second);
        assertThat(before.get("entries")).isEqualTo(2L);
        assertThat(before.get("holes")).isEqualTo(1L);
        assertThat(after.get("entries")).isEqualTo(1L);
        assertThat(after.get("holes")).isEqualTo(2L);
        assertThat((List<?>) before.get("titles")).anySatisfy(t -> assertThat((String) t).contains("test_walk: descend"));
    }
}
