package org.fusionmpc.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Builds the documentation site: every Markdown page in the pages directory becomes an HTML page with the
 * site's navigation; the benchmark page's tables and plots are generated from the JSON lines of
 * {@code ./fusion bench ... --json} and JMH's JSON results in the data directory. A relative link or image
 * that points nowhere (file or #anchor) fails the build, listing every one.
 *
 * <p>{@code mvn -pl site -am package} (or {@code java SiteGenerator PAGES DATA OUT}).
 */
public final class SiteGenerator {

    static final List<String[]> NAV = List.of(
            new String[] {"index.html", "Getting started"},
            new String[] {"architecture.html", "Architecture"},
            new String[] {"writing-a-protocol.html", "Writing a protocol"},
            new String[] {"models.html", "Models"},
            new String[] {"fusion.html", "Fusion"},
            new String[] {"threat-model.html", "Threat model"},
            new String[] {"operations.html", "Operations"},
            new String[] {"benchmarks.html", "Benchmarks"});

    private SiteGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3 && args.length != 4) {
            throw new IllegalArgumentException("usage: SiteGenerator PAGES_DIR DATA_DIR OUT_DIR [APIDOCS_DIR]");
        }
        generate(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        if (args.length == 4) {
            apiReference(Path.of(args[3]), Path.of(args[2]));
        }
        System.out.println("site: written to " + Path.of(args[2]).toAbsolutePath());
    }

    static void generate(Path pages, Path data, Path out) throws IOException {
        Files.createDirectories(out.resolve("img"));
        List<Extension> ext = List.of(TablesExtension.create(), HeadingAnchorExtension.create());
        Parser parser = Parser.builder().extensions(ext).build();
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(ext).build();
        List<Path> md;
        try (Stream<Path> s = Files.list(pages)) {
            md = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        for (Path page : md) {
            String text = Files.readString(page, StandardCharsets.UTF_8);
            if (text.contains("<!-- BENCHMARKS -->")) {
                text = text.replace("<!-- BENCHMARKS -->", Benchmarks.render(data, out.resolve("img")));
            }
            String name = page.getFileName().toString().replaceFirst("\\.md$", ".html");
            String title = text.lines().filter(l -> l.startsWith("# ")).findFirst().orElse("# Fusion MPC SDK").substring(2);
            Files.writeString(out.resolve(name), template(title, name, renderer.render(parser.parse(text))), StandardCharsets.UTF_8);
        }
        List<String> broken = checkLinks(out);
        if (!broken.isEmpty()) {
            throw new IllegalStateException("broken internal links:\n  " + String.join("\n  ", broken));
        }
    }

    /**
     * The API reference: each library module's javadoc (unpacked from its javadoc jar into {@code apidocs/MODULE}) copied
     * to {@code api/MODULE}, and {@code api.html} listing them. Every page's navigation gets an "API" entry.
     */
    static void apiReference(Path apidocs, Path out) throws IOException {
        List<Path> modules;
        try (Stream<Path> s = Files.list(apidocs)) {
            modules = s.filter(p -> Files.isRegularFile(p.resolve("index.html"))).sorted().toList();
        }
        if (modules.isEmpty()) {
            throw new IllegalStateException("no javadoc under " + apidocs + " (build the library modules' javadoc jars first: mvn install)");
        }
        StringBuilder body = new StringBuilder("<h1>API reference</h1>\n<p>The javadoc of each library module, as its javadoc jar ships it."
                + " Start with <code>org.fusionmpc.api</code> (channels, sessions, the plugin registry).</p>\n<ul>\n");
        for (Path m : modules) {
            String name = m.getFileName().toString();
            Path target = out.resolve("api").resolve(name);
            try (Stream<Path> files = Files.walk(m)) {
                for (Path f : files.toList()) {
                    Path t = target.resolve(m.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(f, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            body.append("<li><a href=\"api/").append(name).append("/index.html\">").append(escape(name)).append("</a></li>\n");
        }
        body.append("</ul>\n");
        Files.writeString(out.resolve("api.html"), template("API reference", "api.html", body.toString()), StandardCharsets.UTF_8);
        try (Stream<Path> s = Files.list(out)) {
            for (Path page : s.filter(p -> p.toString().endsWith(".html")).toList()) {
                String html = Files.readString(page, StandardCharsets.UTF_8);
                String self = page.getFileName().toString();
                Files.writeString(page, html.replace("</nav>", "<a href=\"api.html\"" + (self.equals("api.html") ? " class=\"here\"" : "")
                        + ">API</a></nav>"), StandardCharsets.UTF_8);
            }
        }
        List<String> broken = checkLinks(out);
        if (!broken.isEmpty()) {
            throw new IllegalStateException("broken internal links:\n  " + String.join("\n  ", broken));
        }
    }

    static String template(String title, String self, String body) {
        StringBuilder nav = new StringBuilder();
        for (String[] n : NAV) {
            nav.append("<a href=\"").append(n[0]).append('"').append(n[0].equals(self) ? " class=\"here\"" : "").append('>')
                    .append(n[1]).append("</a>");
        }
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Fusion MPC SDK</title>
                <style>
                body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d232b}
                nav{background:#16324f;padding:.6em 1.2em;position:sticky;top:0}
                nav a{color:#dbe7f3;margin-right:1.1em;text-decoration:none}nav a.here{color:#fff;font-weight:600}
                main{max-width:58em;margin:0 auto;padding:1em 1.5em 4em}
                code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
                pre{background:#f3f5f8;padding:.8em;overflow-x:auto;border-radius:4px}
                table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #cfd6de;padding:.3em .6em;text-align:left}
                th{background:#eef2f6}img{max-width:100%%;border:1px solid #e3e7ec}
                </style></head>
                <body><nav>%s</nav><main>
                %s
                </main></body></html>
                """.formatted(escape(title), nav, body);
    }

    /** Every href/src in the site that is relative must name an existing file, and its #anchor an existing id. */
    static List<String> checkLinks(Path out) throws IOException {
        List<String> broken = new ArrayList<>();
        Pattern link = Pattern.compile("(?:href|src)=\"([^\"]*)\"");
        Pattern id = Pattern.compile("id=\"([^\"]+)\"");
        Map<String, String> pages = new TreeMap<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".html")).toList()) {
                pages.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Matcher m = link.matcher(page.getValue());
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("//")) {
                    continue; // external
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                String html = file.isEmpty() ? page.getValue() : pages.get(file);
                if (html == null && !file.isEmpty() && !Files.exists(out.resolve(file))) {
                    broken.add(page.getKey() + " -> " + target + " (no such file)");
                    continue;
                }
                if (anchor != null && html != null) {
                    Matcher ids = id.matcher(html);
                    boolean found = false;
                    while (ids.find() && !found) {
                        found = ids.group(1).equals(anchor);
                    }
                    if (!found) {
                        broken.add(page.getKey() + " -> " + target + " (no such anchor)");
                    }
                }
            }
        }
        return broken;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String fmt(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-2)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : "%.2f", v);
    }

    static Map<String, Double> one(String k, double v) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(k, v);
        return m;
    }
}
