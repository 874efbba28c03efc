package org.fusionmpc.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds the real site from the committed pages and benchmark data and checks what a reader would see. */
class SiteGeneratorTest {

    static final Path PAGES = Path.of("src", "pages");
    static final Path DATA = Path.of("data");

    @Test
    void everyPageIsBuiltAndTheBenchmarkPageShowsItsPlots(@TempDir Path out) throws Exception {
        System.setProperty("java.awt.headless", "true");
        SiteGenerator.generate(PAGES, DATA, out);
        for (String[] n : SiteGenerator.NAV) {
            assertTrue(Files.exists(out.resolve(n[0])), n[0]);
        }
        String bench = Files.readString(out.resolve("benchmarks.html"));
        Matcher img = Pattern.compile("<img src=\"(img/[^\"]+\\.png)\"").matcher(bench);
        int plots = 0;
        while (img.find()) {
            BufferedImage png = ImageIO.read(out.resolve(img.group(1)).toFile());
            assertTrue(png != null && png.getWidth() == Plots.WIDTH && png.getHeight() >= Plots.HEIGHT, img.group(1));
            plots++;
        }
        assertTrue(plots >= 7, plots + " plots on the benchmark page");
        // Tables carry the measured rows, not placeholders.
        for (String bench0 : List.of("softspoken-rot", "gc-garble-and", "ring-matvec", "fusion-cost-per-query", "channel-tls")) {
            assertTrue(bench.contains(bench0), bench0 + " missing from the benchmark page");
        }
        assertTrue(!bench.contains("(no data)"), "a benchmark section has no data");
    }

    /** The API reference copies each module's javadoc, lists it on api.html, and puts "API" in every page's navigation. */
    @Test
    void theApiReferenceListsEachModulesJavadoc(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path out = dir.resolve("out");
        SiteGenerator.generate(PAGES, DATA, out);
        Path apidocs = dir.resolve("apidocs");
        for (String m : List.of("fusionmpc-sdk-api", "fusionmpc-sdk-ot")) {
            Files.createDirectories(apidocs.resolve(m).resolve("org"));
            Files.writeString(apidocs.resolve(m).resolve("index.html"), "<html>" + m + "</html>");
            Files.writeString(apidocs.resolve(m).resolve("org").resolve("A.html"), "a");
        }
        SiteGenerator.apiReference(apidocs, out);
        String api = Files.readString(out.resolve("api.html"));
        assertTrue(api.contains("href=\"api/fusionmpc-sdk-api/index.html\"") && api.contains("href=\"api/fusionmpc-sdk-ot/index.html\""), api);
        assertTrue(Files.exists(out.resolve("api/fusionmpc-sdk-ot/org/A.html")));
        assertTrue(Files.readString(out.resolve("index.html")).contains("<a href=\"api.html\">API</a></nav>"));
        Path empty = Files.createDirectories(dir.resolve("none"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SiteGenerator.apiReference(empty, out));
        assertTrue(e.getMessage().contains("no javadoc under"), e.getMessage());
    }

    @Test
    void aBrokenInternalLinkFailsTheBuild(@TempDir Path dir) throws Exception {
        Path pages = dir.resolve("pages");
        Files.createDirectories(pages);
        Files.writeString(pages.resolve("index.md"), "# Home\n\n[gone](missing.html) and [anchor](index.html#nowhere)\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SiteGenerator.generate(pages, dir.resolve("none"), dir.resolve("out")));
        assertTrue(e.getMessage().contains("index.html -> missing.html (no such file)"), e.getMessage());
        assertTrue(e.getMessage().contains("index.html -> index.html#nowhere (no such anchor)"), e.getMessage());
    }

    @Test
    void jsonReaderHandlesBenchLinesAndJmhShapes() {
        Object v = Json.parse("{\"a\":1.5e3,\"b\":[true,null,\"x\\\"y\"],\"c\":{\"d\":-2}}");
        assertEquals("{a=1500.0, b=[true, null, x\"y], c={d=-2.0}}", v.toString());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":}"));
    }
}
