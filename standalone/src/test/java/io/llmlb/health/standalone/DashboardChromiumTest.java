package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's Chromium, headless) against the real pipeline on the
 * embedded broker: the seed's "ダッシュボードでの確認" steps, live updates without reload, admin
 * actions, a viewer without actions, and node-sent text that must stay text.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardChromiumTest {

    private static final Path CHROMIUM = HeadlessChromium.BINARY;
    private static final Path CHROMEDRIVER = HeadlessChromium.DRIVER;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The promise: a state change shows within 1 s, without reload. */
    private static final Duration LIVE_DELAY = Duration.ofSeconds(1);
    private static final String SCRIPT_NAME = "<script>alert(1)</script>";
    private static final String IMG_MODEL = "<img src=x onerror=alert(1)>";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path profileDir;

    private static Standalone standalone;
    private static ApiClient api;
    private static String adminJwt;
    private static ChromeDriver driver;
    private static ScheduledExecutorService heartbeats;

    @BeforeAll
    static void startStackAndBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no chromedriver at " + CHROMEDRIVER
                + " (apt-get install chromium-driver)");
        Map<String, String> env = new HashMap<>(PipelineScenario.testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_PORT", String.valueOf(EmbeddedKafkaBroker.freePort()));
        env.put("LLMLB_VIEWERS", "viewer:viewpass");
        standalone = Standalone.start(StandaloneConfig.fromEnv(env).withTimings(NODE_TIMEOUT, CHECK_INTERVAL));
        api = new ApiClient(standalone.port());
        adminJwt = api.adminJwt();
        heartbeats = Executors.newScheduledThreadPool(1);
        Files.createDirectories(SCREENSHOTS);
        driver = startChromium();
    }

    private static ChromeDriver startChromium() {
        ChromeOptions options = HeadlessChromium.options(profileDir, 1600, 900);
        // An alert must stay open for the test to see, not be dismissed behind its back.
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        return HeadlessChromium.start(options, new File(SCREENSHOTS.toFile(), "chromedriver.log"));
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
        assertTrue(errors.isEmpty(), "browser console errors: " + errors);
    }

    @Test
    @Order(1) // first, so that its screenshot shows the fleet without the other tests' nodes
    void adminSeesOnlineNodeWithTheSeedsColumns() throws IOException {
        // Given a small fleet: online nodes that keep beating, one pending, one gone quiet
        keepBeating(registerApproved("gpu-a100-01", "rack1-a100-01"), "gpu-a100-01", 41.0, 62.5, 64.0, 3);
        keepBeating(registerApproved("gpu-a100-02", "rack1-a100-02"), "gpu-a100-02", 87.5, 91.0, 78.0, 9);
        keepBeating(registerApproved("gpu-h100-01", "rack2-h100-01"), "gpu-h100-01", 12.0, 35.0, 51.0, 0);
        keepBeating(register("gpu-l40s-new", "rack3-l40s-01"), "gpu-l40s-new", 0.0, 3.0, 38.0, 0);
        heartbeat(registerApproved("gpu-t4-old", "rack0-t4-07"), "gpu-t4-old", 0.0, 10.0, 45.0, 0);
        String token = registerApproved("node-1", null);
        keepBeating(token, ApiClient.seedHeartbeat("node-1"));

        // When admin logs in and opens Nodes from the menu
        logIn("admin", "test");
        driver.findElement(By.linkText("Nodes")).click();

        // Then node-1 shows Online with the seed's four columns filled in
        awaitCell("node-1", "state", "Online");
        List<String> headers = driver.findElements(By.cssSelector("#nodes-table thead th")).stream()
                .map(WebElement::getText).toList();
        assertTrue(headers.containsAll(List.of("State", "Last Seen", "Uptime", "Heartbeats")), headers.toString());
        assertTrue(cell("node-1", "lastSeen").getText().matches("\\d+ s ago"), cell("node-1", "lastSeen").getText());
        String lastSeen = api.node(adminJwt, "node-1").get("last_seen").asText().substring(0, 10);
        assertTrue(cell("node-1", "lastSeen").getDomProperty("title").contains(lastSeen), "absolute time on hover");
        assertTrue(cell("node-1", "uptime").getText().matches("\\d+s|\\d+m \\d\\ds"), cell("node-1", "uptime").getText());
        assertTrue(Long.parseLong(cell("node-1", "heartbeats").getText()) >= 1);
        assertEquals("45.5 %", cell("node-1", "gpu").getText());
        assertEquals("llama-3.2-1b", cell("node-1", "models").getText());
        awaitCell("gpu-t4-old", "state", "Offline");
        awaitCell("gpu-l40s-new", "state", "Pending");
        assertEquals("Online", cell("gpu-a100-01", "state").getText());
        screenshot("nodes-view");
    }

    @Test
    void nodeTurnsOfflineWithoutReload() {
        // Given the dashboard open before the node exists
        logIn("admin", "test");
        String token = registerApproved("fading-node", "rack9-fading");
        ScheduledFuture<?> beating = keepBeating(token, ApiClient.seedHeartbeat("fading-node"));
        awaitCell("fading-node", "state", "Online");
        ((JavascriptExecutor) driver).executeScript("window.stillTheSamePage = true;");

        // When its heartbeats stop
        beating.cancel(false);

        // Then it turns Offline in the open page, within a second of the system knowing
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> PipelineScenario.state(api, adminJwt, "fading-node"), "offline"::equals);
        new WebDriverWait(driver, LIVE_DELAY, Duration.ofMillis(50))
                .until(d -> cellText("fading-node", "state").equals("Offline"));
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) driver).executeScript("return window.stillTheSamePage;"),
                "the page was not reloaded");
        assertEquals("Live", driver.findElement(By.id("live")).getText());
        assertEquals("—", cell("fading-node", "uptime").getText());
    }

    @Test
    void nodeInMaintenanceShowsAMaintenanceBadgeBesideItsStateUntilItEnds() {
        logIn("admin", "test");
        keepBeating(registerApproved("resting-node", "rack5-resting"), ApiClient.seedHeartbeat("resting-node"));
        awaitCell("resting-node", "state", "Online");
        assertTrue(maintenanceBadges("resting-node").isEmpty(), "no badge before maintenance");

        assertEquals(200, api.admin(adminJwt, "POST", "/v0/nodes/resting-node/maintenance").status());
        new WebDriverWait(driver, PATIENCE).until(d -> maintenanceBadges("resting-node").size() == 1);
        assertEquals("Maintenance", maintenanceBadges("resting-node").get(0).getText());

        assertEquals(200, api.admin(adminJwt, "DELETE", "/v0/nodes/resting-node/maintenance").status());
        new WebDriverWait(driver, PATIENCE).until(d -> maintenanceBadges("resting-node").isEmpty());
        awaitCell("resting-node", "state", "Online");
    }

    private static List<WebElement> maintenanceBadges(String nodeId) {
        return driver.findElements(By.cssSelector("#nodes-body tr[data-id='" + nodeId + "'] .flag-maintenance"));
    }

    @Test
    void adminApprovesPendingNodeWithItsButton() {
        // Given a pending node that already sends heartbeats
        keepBeating(register("waiting-node", "rack4-waiting"), ApiClient.seedHeartbeat("waiting-node"));
        logIn("admin", "test");
        awaitCell("waiting-node", "state", "Pending");

        // When admin clicks its Approve button
        row("waiting-node").findElement(By.cssSelector("button[data-action='approve']")).click();

        // Then it is online, in the page and in the API, and has no Approve button any more
        awaitCell("waiting-node", "state", "Online");
        assertEquals("online", PipelineScenario.state(api, adminJwt, "waiting-node"));
        assertFalse(row("waiting-node").findElement(By.cssSelector("button[data-action='approve']")).isDisplayed());
        assertTrue(driver.findElement(By.id("nodes-message")).getText().contains("Approved waiting-node"));
    }

    @Test
    void nodeTextIsShownLiterallyNeverAsHtml() {
        // Given a node whose machine name and model name are markup
        String token = registerApproved("xss-node", SCRIPT_NAME);
        ApiClient.Reply beat = api.heartbeat(token, """
                {"node_id": "xss-node", "active_requests": 1, "loaded_models": ["%s", "llama-3.2-1b"]}"""
                .formatted(IMG_MODEL));
        assertEquals(200, beat.status(), beat.body());

        // When admin looks at the list and the node's page
        logIn("admin", "test");
        awaitCell("xss-node", "models", IMG_MODEL + ", llama-3.2-1b");

        // Then the characters show as they are, and nothing ran
        assertEquals(SCRIPT_NAME, row("xss-node").findElement(By.className("machine")).getText());
        assertTrue(driver.findElements(By.cssSelector("#nodes-body img, #nodes-body script")).isEmpty());
        assertNoAlert();
        row("xss-node").findElement(By.linkText("xss-node")).click();
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        wait.until(ExpectedConditions.textToBe(By.id("detail-machine"), SCRIPT_NAME));
        List<String> models = driver.findElements(By.cssSelector("#detail-metrics .models-list li")).stream()
                .map(WebElement::getText).toList();
        assertEquals(List.of(IMG_MODEL, "llama-3.2-1b"), models);
        assertTrue(driver.findElements(By.cssSelector("#detail-view img, #detail-view script")).isEmpty());
        assertNoAlert();
    }

    @Test
    void viewerSeesNoActionButtons() {
        // Given nodes an admin could act on
        register("viewer-pending-node", "rack5-pending");
        registerApproved("viewer-online-node", "rack5-online");

        // When a viewer logs in
        logIn("viewer", "viewpass");
        awaitCell("viewer-pending-node", "state", "Pending");
        row("viewer-online-node");

        // Then neither the list nor a node's page offers any action
        assertTrue(driver.findElements(By.cssSelector("#nodes-view button[data-action]")).isEmpty());
        assertTrue(driver.findElements(By.xpath("//th[normalize-space()='Actions']")).stream()
                .noneMatch(WebElement::isDisplayed));
        row("viewer-pending-node").findElement(By.linkText("viewer-pending-node")).click();
        new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.textToBe(By.id("detail-id"), "viewer-pending-node"));
        assertTrue(driver.findElements(By.cssSelector("#detail-view button[data-action]")).isEmpty());
        assertEquals("viewer (viewer)", driver.findElement(By.id("who")).getText());
    }

    @Test
    void adminRotatesTokenSeenOnceAndDeletesOnlyAfterConfirming() {
        // Given a registered node, opened in its own page
        String oldToken = registerApproved("rotating-node", "rack6-rotating");
        logIn("admin", "test");
        row("rotating-node").findElement(By.linkText("rotating-node")).click();
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        wait.until(ExpectedConditions.textToBe(By.id("detail-id"), "rotating-node"));

        // When admin rotates its token and confirms
        detailButton("token").click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        // Then the new token is shown once and works; the old one does not
        WebElement tokenValue = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-value")));
        String newToken = tokenValue.getText();
        assertFalse(newToken.isBlank());
        assertEquals(200, api.heartbeat(newToken, ApiClient.seedHeartbeat("rotating-node")).status());
        assertEquals(401, api.heartbeat(oldToken, ApiClient.seedHeartbeat("rotating-node")).status());
        driver.findElement(By.id("token-close")).click();
        assertEquals("", driver.findElement(By.id("token-value")).getDomProperty("textContent"));

        // When admin clicks Delete but cancels, nothing happens; when they confirm, the node goes
        detailButton("delete").click();
        wait.until(ExpectedConditions.alertIsPresent()).dismiss();
        assertEquals(200, api.send("GET", "/v0/nodes/rotating-node",
                Map.of("Authorization", "Bearer " + adminJwt), null).status());
        detailButton("delete").click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-missing"), "not known"));
        driver.findElement(By.linkText("Nodes")).click();
        wait.until(d -> d.findElements(By.cssSelector("#nodes-body tr[data-id='rotating-node']")).isEmpty());
        await().atMost(PATIENCE).until(() -> api.send("GET", "/v0/nodes/rotating-node",
                Map.of("Authorization", "Bearer " + adminJwt), null).status() == 404);
    }

    @Test
    void brokenNodeLinkShowsNotFoundInsteadOfThrowing() {
        // Issue 12, item 11: decodeURIComponent threw URIError on this link and the page stayed blank.
        logIn("admin", "test");

        driver.get(baseUrl() + "/#/nodes/%E0%A4%A");

        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-missing"), "not found"));
        assertTrue(driver.findElement(By.id("detail-view")).isDisplayed());
        assertTrue(driver.findElements(By.cssSelector("#detail-actions button[data-action]")).isEmpty(),
                "no actions on a node that is not there");
        // The console (checked after each test) shows no URIError.
    }

    @Test
    void nodePageShowsRecentTransitionsWithReasonsWhenTheApiHasThem() {
        // Given a node that was registered, then approved, and keeps beating (no timeout)
        keepBeating(registerApproved("history-node", "rack7-history"), ApiClient.seedHeartbeat("history-node"));

        // When admin opens its page
        logIn("admin", "test");
        row("history-node").findElement(By.linkText("history-node")).click();
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        wait.until(ExpectedConditions.textToBe(By.id("detail-id"), "history-node"));

        // Then it lists the transitions newest first, with their reasons, if the API reports any
        JsonNode detail = api.send("GET", "/v0/nodes/history-node", Map.of("Authorization", "Bearer " + adminJwt), null)
                .json();
        if (detail.has("transitions")) {
            wait.until(d -> columnOfTransitions(4).equals(List.of("approved", "registered")));
            assertEquals(List.of("Online", "Pending"), columnOfTransitions(3));
        } else {
            wait.until(ExpectedConditions.textToBe(By.id("detail-no-transitions"),
                    "This server does not report transition history."));
        }
    }

    @Test
    void noGrafanaLinkUnlessLlmlbGrafanaUrlIsSet() {
        logIn("viewer", "viewpass");
        new WebDriverWait(driver, PATIENCE).until(d -> "loaded".equals(
                d.findElement(By.tagName("body")).getDomAttribute("data-overview")));

        assertFalse(driver.findElement(By.id("grafana-link")).isDisplayed());
        assertFalse(driver.findElement(By.id("hold-banner")).isDisplayed(), "nothing held on this quiet fleet");
    }

    @Test
    void eventStreamNeedsALoggedInUser() {
        ApiClient.Reply anonymous = api.send("GET", "/v0/events", Map.of("Accept", "text/event-stream"), null);
        assertEquals(401, anonymous.status(), anonymous.body());
        ApiClient.Reply forged = api.send("GET", "/v0/events",
                Map.of("Accept", "text/event-stream", "Authorization", "Bearer not.a.jwt"), null);
        assertEquals(401, forged.status(), forged.body());
    }

    @Test
    void dashboardIsServedWithAPolicyThatForbidsInlineScript() {
        ApiClient.Reply page = api.send("GET", "/", Map.of(), null);
        assertEquals(200, page.status());
        assertTrue(page.raw().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String policy = page.raw().headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), policy);
        for (String asset : List.of("/app.js", "/app.css", "/favicon.svg")) {
            assertEquals(200, api.send("GET", asset, Map.of(), null).status(), asset);
        }
    }

    // ------------------------------------------------------------------ browser helpers

    /** Opens a fresh dashboard, logs in and waits until the live stream is connected. */
    private static void logIn(String username, String password) {
        driver.get(baseUrl() + "/");
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

    /** The texts of one column (1-based) of the node page's transitions table. */
    private static List<String> columnOfTransitions(int column) {
        try {
            return driver.findElements(By.cssSelector("#detail-transitions tbody td:nth-child(" + column + ")")).stream()
                    .map(WebElement::getText).toList();
        } catch (StaleElementReferenceException redrawn) {
            return List.of();
        }
    }

    private static WebElement detailButton(String action) {
        return new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#detail-actions button[data-action='" + action + "']")));
    }

    private static void assertNoAlert() {
        assertThrows(NoAlertPresentException.class, () -> {
            Alert alert = driver.switchTo().alert();
            alert.dismiss();
        }, "a node's text ran as script");
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private static String baseUrl() {
        return api.baseUrl();
    }

    // ------------------------------------------------------------------ API helpers

    /** Registers a pending node; returns its token. */
    private static String register(String nodeId, String machineName) {
        String body = machineName == null ? "{\"node_id\":\"" + nodeId + "\"}"
                : io.llmlb.health.wire.Json.MAPPER.createObjectNode().put("node_id", nodeId)
                        .put("machine_name", machineName).toString();
        ApiClient.Reply reply = api.send("POST", "/v0/nodes",
                Map.of("Authorization", "Bearer " + adminJwt, "Content-Type", "application/json"), body);
        assertEquals(201, reply.status(), reply.body());
        return reply.json().get("node_token").asText();
    }

    /** Registers and approves a node; returns its token. */
    private static String registerApproved(String nodeId, String machineName) {
        String token = register(nodeId, machineName);
        ApiClient.Reply approved = api.admin(adminJwt, "POST", "/v0/nodes/" + nodeId + "/approve");
        assertEquals(200, approved.status(), approved.body());
        return token;
    }

    private static ScheduledFuture<?> keepBeating(String token, String body) {
        return heartbeats.scheduleAtFixedRate(() -> api.heartbeat(token, body), 0, 1, TimeUnit.SECONDS);
    }

    private static void keepBeating(String token, String nodeId, double gpu, double vram, double temperature,
                                    int active) {
        keepBeating(token, heartbeatBody(nodeId, gpu, vram, temperature, active));
    }

    private static void heartbeat(String token, String nodeId, double gpu, double vram, double temperature, int active) {
        assertEquals(200, api.heartbeat(token, heartbeatBody(nodeId, gpu, vram, temperature, active)).status());
    }

    private static String heartbeatBody(String nodeId, double gpu, double vram, double temperature, int active) {
        return """
                {"node_id": "%s", "gpu_metrics": {"usage": %s, "vram_usage": %s, "temperature": %s},
                 "system_metrics": {"cpu_usage": %s, "memory_usage": %s},
                 "active_requests": %d, "loaded_models": ["llama-3.1-8b-instruct", "qwen2.5-7b"]}"""
                .formatted(nodeId, gpu, vram, temperature, gpu / 2, vram * 0.6, active);
    }
}
