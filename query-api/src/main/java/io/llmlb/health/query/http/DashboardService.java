package io.llmlb.health.query.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard at {@code /}: a few fixed files from {@code web/} on the classpath, served with a
 * strict Content-Security-Policy (scripts and styles from this origin only, no inline code), so
 * even a mistake in the page could not run text a node sent. The files are read once at start;
 * a missing one stops the service rather than serving a broken page.
 */
public final class DashboardService implements HttpService {

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** URL path → file under {@code web/}: the page, its ES modules (app.js imports the rest), style, icon. */
    private static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("/", "index.html"),
            Map.entry("/app.js", "app.js"),
            Map.entry("/api.js", "api.js"),
            Map.entry("/format.js", "format.js"),
            Map.entry("/store.js", "store.js"),
            Map.entry("/live.js", "live.js"),
            Map.entry("/table.js", "table.js"),
            Map.entry("/node-page.js", "node-page.js"),
            Map.entry("/actions.js", "actions.js"),
            Map.entry("/banner.js", "banner.js"),
            Map.entry("/charts.js", "charts.js"),
            Map.entry("/app.css", "app.css"),
            Map.entry("/favicon.svg", "favicon.svg"));

    /** uPlot, the charts' library, from its WebJar (org.webjars.npm:uplot in the pom): path → file of its dist/. */
    private static final Map<String, String> UPLOT_FILES = Map.of(
            "/vendor/uplot/uPlot.esm.js", "uPlot.esm.js",
            "/vendor/uplot/uPlot.min.css", "uPlot.min.css");
    private static final String UPLOT_WEBJAR = "META-INF/resources/webjars/uplot/";

    private record Asset(byte[] content, String contentType, String etag) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    /** Reads the dashboard's files from the classpath. */
    public DashboardService() {
        FILES.forEach((path, file) -> assets.put(path, load("web/" + file)));
        String uplot = UPLOT_WEBJAR + webJarVersion("uplot") + "/dist/";
        UPLOT_FILES.forEach((path, file) -> assets.put(path, load(uplot + file)));
    }

    /** The version of the npm WebJar {@code name} on the class path, from its Maven metadata. */
    private static String webJarVersion(String name) {
        String metadata = "META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
        try (InputStream in = DashboardService.class.getClassLoader().getResourceAsStream(metadata)) {
            if (in == null) {
                throw new IllegalStateException("WebJar " + name + " is missing from the classpath (" + metadata + ")");
            }
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metadata, e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        assets.keySet().forEach(path -> rules.get(path, (request, response) -> serve(assets.get(path), request, response)));
    }

    private static void serve(Asset asset, ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        // Revalidate every time (the files change with the jar); the ETag makes that a 304.
        response.header(HeaderNames.CACHE_CONTROL, "no-cache");
        response.header(HeaderNames.ETAG, asset.etag());
        response.header(HeaderNames.create("Content-Security-Policy"), CSP);
        response.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        response.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        boolean unchanged = request.headers().first(HeaderNames.IF_NONE_MATCH)
                .map(tags -> tags.contains(asset.etag()))
                .orElse(false);
        if (unchanged) {
            response.status(Status.NOT_MODIFIED_304).send();
        } else {
            response.send(asset.content());
        }
    }

    private static Asset load(String resource) {
        try (InputStream in = DashboardService.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file " + resource + " is missing from the classpath");
            }
            byte[] content = in.readAllBytes();
            return new Asset(content, contentType(resource), "\"" + sha256(content).substring(0, 16) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard file " + resource, e);
        }
    }

    private static String contentType(String file) {
        String extension = file.substring(file.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> throw new IllegalArgumentException("no content type for " + file);
        };
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
