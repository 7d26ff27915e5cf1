package io.llmlb.health.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator's view (issue 15) in a real browser (Debian's Chromium, headless) against the real
 * pipeline on the embedded broker, in a 1280×800 window: the fleet charts, the table fitting the
 * window with its Actions whole, the deadline column, a node's hour of metrics and transitions,
 * the Grafana link ({@code LLMLB_GRAFANA_URL}), and, when the whole (small) fleet falls silent at
 * once, the banner while verdicts are held, then stale figures on the nodes once offline.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorViewChromiumTest {

    private static final Path CHROMIUM = HeadlessChromium.BINARY;
    private static final Path CHROMEDRIVER = HeadlessChromium.DRIVER;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration MAX_HOLD = Duration.ofSeconds(10);
    private static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final String GRAFANA = "https://grafana.example/d/llmlb-health";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path profileDir;

    private static Standalone standalone;
    private static ApiClient api;
    private static String adminJwt;
    private static ChromeDriver driver;
    private static ScheduledExecutorService heartbeats;
    private static final List<ScheduledFuture<?>> beating = new ArrayList<>();

    @BeforeAll
    static void startStackAndBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no chromedriver at " + CHROMEDRIVER
                + " (apt-get install chromium-driver)");
        Map<String, String> env = new HashMap<>(PipelineScenario.testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_PORT", String.valueOf(EmbeddedKafkaBroker.freePort()));
        env.put("LLMLB_GRAFANA_URL", GRAFANA);
        // Two online nodes are enough for the mass-silence guard here, and it holds for 10 s at most.
        env.put("LLMLB_SUSPEND_MIN_FLEET", "2");
        env.put("LLMLB_SUSPEND_MAX_HOLD", String.valueOf(MAX_HOLD.toSeconds()));
        // The guard judges per partition: one partition puts both nodes under the same guard.
        env.put("LLMLB_PARTITIONS", "1");
        standalone = Standalone.start(StandaloneConfig.fromEnv(env).withTimings(NODE_TIMEOUT, CHECK_INTERVAL));
        api = new ApiClient(standalone.port());
        adminJwt = api.adminJwt();
        heartbeats = Executors.newScheduledThreadPool(1);
        Files.createDirectories(SCREENSHOTS);
        driver = startChromium();
        driver.manage().window().setSize(new Dimension(1280, 800));
    }

    private static ChromeDriver startChromium() {
        return HeadlessChromium.start(HeadlessChromium.options(profileDir, 1280, 800),
                new File(SCREENSHOTS.toFile(), "chromedriver-operator.log"));
    }

    @AfterAll
    static void stopEverything() {
        if (driver != null) {
            driver.quit();
        }
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        if (standalone != null) {
            standalone.close();
        }
    }

    @AfterEach
    void screenshotAndConsole(TestInfo test) throws IOException {
        screenshot(test.getTestMethod().orElseThrow().getName());
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertTrue(errors.isEmpty(), "browser console errors (a CSP refusal of uPlot would show here): " + errors);
    }

    @Test
    @Order(1)
    void fleetChartsDeadlinesAndATableThatFits1280Pixels() {
        // Given two online nodes and one pending, all beating
        keepBeating(registerApproved("gpu-a100-01", "rack1-a100-01"), "gpu-a100-01", 41.0, 62.5, 64.0, 3);
        keepBeating(registerApproved("gpu-h100-02", "rack2-h100-02"), "gpu-h100-02", 87.5, 91.0, 78.0, 9);
        keepBeating(register("gpu-l40s-new", "rack3-l40s-01"), "gpu-l40s-new", 0.0, 3.0, 38.0, 0);

        // When the admin logs in, in a 1280×800 window
        logIn("admin", "test");
        row("gpu-l40s-new");
        awaitCell("gpu-a100-01", "state", "Online");
        awaitCell("gpu-h100-02", "state", "Online");

        // Then: the three fleet charts are drawn by uPlot from the server's history
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        for (String chart : List.of("chart-states", "chart-heartbeats", "chart-timeouts")) {
            wait.withMessage(() -> chart + " not drawn").until(d -> points(chart) > 0
                    && !d.findElements(By.cssSelector("#" + chart + " .uplot canvas")).isEmpty());
        }
        JsonNode fleet = api.send("GET", "/v0/history/fleet", Map.of("Authorization", "Bearer " + adminJwt), null)
                .json();
        assertEquals(2, fleet.get("online").get(fleet.get("online").size() - 1).asInt(), fleet.toString());
        await(() -> lastRate() > 0, "a heartbeat rate in the fleet history");

        // and each online row counts down to its deadline
        assertTrue(cellText("gpu-a100-01", "deadline").matches("in \\d+s"), cellText("gpu-a100-01", "deadline"));
        assertEquals("—", cellText("gpu-l40s-new", "deadline"));

        // and the table fits: no horizontal scrolling, every action button whole inside its cell
        Map<?, ?> fit = (Map<?, ?>) driver.executeScript("""
                const wrap = document.querySelector('.table-wrap');
                const edge = wrap.getBoundingClientRect().right;
                let clipped = [];
                for (const button of document.querySelectorAll('#nodes-body button[data-action]')) {
                  if (button.offsetParent === null) continue; // hidden (e.g. Approve on an approved node)
                  const cell = button.closest('td').getBoundingClientRect();
                  const box = button.getBoundingClientRect();
                  if (box.right > cell.right + 0.5 || box.right > edge + 0.5) clipped.push(button.dataset.id + ':' + button.textContent);
                }
                return {scroll: wrap.scrollWidth, client: wrap.clientWidth, clipped: clipped.join(','),
                        window: window.innerWidth};""");
        assertEquals(1280L, ((Number) fit.get("window")).longValue(), fit.toString());
        assertTrue(((Number) fit.get("scroll")).longValue() <= ((Number) fit.get("client")).longValue(),
                "the table scrolls sideways at 1280 px: " + fit);
        assertEquals("", fit.get("clipped"), "clipped action buttons: " + fit);

        // and the Grafana link is there, opening the configured URL in a new tab
        WebElement grafana = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("grafana-link")));
        assertEquals(GRAFANA, grafana.getDomProperty("href"));
        assertEquals("_blank", grafana.getDomProperty("target"));
    }

    @Test
    @Order(2)
    void nodePageShowsItsHourOfMetricsAndItsTransitionsOnOneTimeAxis() {
        logIn("admin", "test");
        row("gpu-a100-01").findElement(By.cssSelector("a.node-id")).click();

        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        for (String chart : List.of("chart-usage", "chart-load", "chart-state")) {
            wait.withMessage(() -> chart + " not drawn").until(d -> points(chart) > 0
                    && !d.findElements(By.cssSelector("#" + chart + " .uplot canvas")).isEmpty());
        }
        // registered → pending, approved → online: both within the hour, marked on the charts
        wait.until(d -> "2".equals(d.findElement(By.id("chart-state")).getDomAttribute("data-transitions")));
        JsonNode history = api.send("GET", "/v0/nodes/gpu-a100-01/history",
                Map.of("Authorization", "Bearer " + adminJwt), null).json();
        assertEquals(41.0, history.get("gpu").get(history.get("gpu").size() - 1).asDouble(), history.toString());
        assertEquals(3, history.get("active_requests").get(0).asInt(), history.toString());
        List<String> legend = driver.findElements(By.cssSelector("#chart-usage .u-legend .u-label")).stream()
                .map(WebElement::getText).toList();
        assertTrue(legend.containsAll(List.of("GPU", "VRAM", "CPU", "Memory")), legend.toString());
    }

    @Test
    @Order(3)
    void bannerWhileVerdictsAreHeldThenStaleFiguresOnceOffline() throws IOException {
        logIn("admin", "test");
        awaitCell("gpu-a100-01", "state", "Online");
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);

        // When both online nodes fall silent at once (the monitor's own failure, as far as it can tell)
        beating.forEach(beat -> beat.cancel(false));

        // Then a banner says verdicts are held: how many nodes, since when, until when at most
        // (a loaded machine may also show a short input-path hold first: wait for this one)
        WebElement banner = driver.findElement(By.id("hold-banner"));
        wait.withMessage(() -> "banner: " + driver.findElement(By.id("hold-text")).getText())
                .until(d -> banner.isDisplayed() && d.findElement(By.id("hold-text")).getText().contains("2 nodes"));
        String text = driver.findElement(By.id("hold-text")).getText();
        assertTrue(text.contains("2 nodes") && text.contains("since ") && text.contains("at most"), text);
        assertTrue(driver.findElement(By.id("hold-cause")).getText().contains("fell silent at once"));
        // the nodes still show Online, but past their deadline and with stale figures
        assertEquals("Online", cellText("gpu-a100-01", "state"));
        wait.until(d -> cellText("gpu-a100-01", "deadline").endsWith(" over"));
        assertTrue(cell("gpu-a100-01", "gpu").getDomAttribute("class").contains("stale"));
        screenshot("holdBanner");

        // When the hold runs out (LLMLB_SUSPEND_MAX_HOLD), the verdicts come
        awaitCell("gpu-a100-01", "state", "Offline");
        wait.withMessage("banner gone after the hold").until(ExpectedConditions.invisibilityOf(banner));

        // Then the offline node says for how long, and its figures are marked stale
        wait.until(d -> cellText("gpu-a100-01", "deadline").matches("offline \\d+s"));
        for (String column : List.of("gpu", "vram", "temperature", "cpu", "memory", "active")) {
            WebElement cell = cell("gpu-a100-01", column);
            assertTrue(cell.getDomAttribute("class").contains("stale"), column);
            assertTrue(cell.getDomProperty("title").startsWith("stale: from the last heartbeat"), column);
        }
        assertTrue(cellText("gpu-a100-01", "gpu").equals("41.0 %"), "the old figure is still shown, marked");
        assertTrue(!cell("gpu-l40s-new", "gpu").getDomAttribute("class").contains("stale"),
                "a pending node that still beats is not stale");
    }

    // ------------------------------------------------------------------ helpers

    private static long points(String chartId) {
        String points = driver.findElement(By.id(chartId)).getDomAttribute("data-points");
        return points == null || points.isEmpty() ? 0 : Long.parseLong(points);
    }

    private static double lastRate() {
        JsonNode rates = api.send("GET", "/v0/history/fleet", Map.of("Authorization", "Bearer " + adminJwt), null)
                .json().get("heartbeats_per_second");
        double best = 0;
        for (JsonNode rate : rates) {
            best = Math.max(best, rate.asDouble(0));
        }
        return best;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        new WebDriverWait(driver, PATIENCE).withMessage(() -> what).until(d -> condition.getAsBoolean());
    }

    private static void logIn(String username, String password) {
        driver.get(api.baseUrl() + "/");
        driver.executeScript("sessionStorage.clear();");
        driver.navigate().refresh();
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        WebElement user = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        user.sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("live"), "Live"));
    }

    private static WebElement row(String nodeId) {
        return new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#nodes-body tr[data-id='" + nodeId + "']")));
    }

    private static WebElement cell(String nodeId, String column) {
        return row(nodeId).findElement(By.cssSelector("td[data-col='" + column + "']"));
    }

    private static String cellText(String nodeId, String column) {
        List<WebElement> cells = driver.findElements(
                By.cssSelector("#nodes-body tr[data-id='" + nodeId + "'] td[data-col='" + column + "']"));
        try {
            return cells.isEmpty() ? "" : cells.get(0).getText();
        } catch (StaleElementReferenceException replaced) {
            return "";
        }
    }

    private static void awaitCell(String nodeId, String column, String text) {
        new WebDriverWait(driver, PATIENCE)
                .withMessage(() -> nodeId + " " + column + " should read " + text + " but reads " + cellText(nodeId, column))
                .until(d -> cellText(nodeId, column).equals(text));
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private static String register(String nodeId, String machineName) {
        String body = io.llmlb.health.wire.Json.MAPPER.createObjectNode().put("node_id", nodeId)
                .put("machine_name", machineName).toString();
        ApiClient.Reply reply = api.send("POST", "/v0/nodes",
                Map.of("Authorization", "Bearer " + adminJwt, "Content-Type", "application/json"), body);
        assertEquals(201, reply.status(), reply.body());
        return reply.json().get("node_token").asText();
    }

    private static String registerApproved(String nodeId, String machineName) {
        String token = register(nodeId, machineName);
        ApiClient.Reply approved = api.admin(adminJwt, "POST", "/v0/nodes/" + nodeId + "/approve");
        assertEquals(200, approved.status(), approved.body());
        return token;
    }

    /** Heartbeats every second; the approved nodes' beats stop in the hold test, the pending one's never. */
    private static void keepBeating(String token, String nodeId, double gpu, double vram, double temperature,
                                    int active) {
        String body = """
                {"node_id": "%s", "gpu_metrics": {"usage": %s, "vram_usage": %s, "temperature": %s},
                 "system_metrics": {"cpu_usage": %s, "memory_usage": %s},
                 "active_requests": %d, "loaded_models": ["llama-3.1-8b-instruct", "qwen2.5-7b"]}"""
                .formatted(nodeId, gpu, vram, temperature, gpu / 2, vram * 0.6, active);
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> api.heartbeat(token, body), 0, 1, TimeUnit.SECONDS);
        if (!nodeId.equals("gpu-l40s-new")) {
            beating.add(beat);
        }
    }
}
