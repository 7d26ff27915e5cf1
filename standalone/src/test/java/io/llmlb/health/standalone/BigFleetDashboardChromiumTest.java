package io.llmlb.health.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard with a fleet above {@code BIG_FLEET} (2,000) nodes in a real Chromium against the
 * real pipeline (issue 14): the table is paged on the server, follows the `next` cursor, searches
 * on the server, and hears live changes of the rows on screen and the counts, while changes
 * elsewhere move only the counts.
 */
class BigFleetDashboardChromiumTest {

    private static final Path CHROMIUM = HeadlessChromium.BINARY;
    private static final Path CHROMEDRIVER = HeadlessChromium.DRIVER;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int FLEET = 2_050;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path profileDir;

    private static Standalone standalone;
    private static ApiClient api;
    private static String adminJwt;
    private static ChromeDriver driver;

    @BeforeAll
    static void startStackFleetAndBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no chromedriver at " + CHROMEDRIVER
                + " (apt-get install chromium-driver)");
        Map<String, String> env = new HashMap<>(PipelineScenario.testEnvironment(dataDir));
        env.put("LLMLB_KAFKA_PORT", String.valueOf(EmbeddedKafkaBroker.freePort()));
        env.put("LLMLB_MAX_NODES", "5000");
        standalone = Standalone.start(StandaloneConfig.fromEnv(env)
                .withTimings(Duration.ofSeconds(120), Duration.ofMillis(250)));
        api = new ApiClient(standalone.port());
        adminJwt = api.adminJwt();
        // Given a fleet above the paging threshold, all pending, registered 8 at a time.
        try (ExecutorService workers = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> registered = new java.util.ArrayList<>();
            for (int i = 0; i < FLEET; i++) {
                String id = String.format("big-%04d", i);
                registered.add(workers.submit(() -> api.register(adminJwt, id).status()));
            }
            for (Future<Integer> status : registered) {
                assertEquals(201, status.get());
            }
        }
        await().atMost(PATIENCE).until(() -> api.admin(adminJwt, "GET", "/v0/nodes/summary").json()
                .get("total").asInt() == FLEET);
        Files.createDirectories(SCREENSHOTS);
        driver = HeadlessChromium.start(HeadlessChromium.options(profileDir, 1600, 900),
                new File(SCREENSHOTS.toFile(), "chromedriver-big-fleet.log"));
    }

    @AfterAll
    static void stopEverything() {
        if (driver != null) {
            driver.quit();
        }
        if (standalone != null) {
            standalone.close();
        }
    }

    @Test
    void aBigFleetIsPagedOnTheServerAndOnlyTheRowsOnScreenAreLive() throws Exception {
        long started = System.nanoTime();
        logIn();
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        wait.until(d -> rowIds().size() == 100);
        System.out.printf("big fleet: first table of %,d nodes in %d ms after login%n", FLEET,
                (System.nanoTime() - started) / 1_000_000);
        assertEquals("big-0000", rowIds().getFirst());
        assertEquals(String.valueOf(FLEET), driver.findElement(By.id("count-total")).getText());
        assertTrue(driver.findElement(By.id("shown")).getText().startsWith("page 1"));

        // When the admin goes to the next page: the server's next 100, the stream narrowed to them.
        driver.findElement(By.id("page-next")).click();
        wait.until(d -> rowIds().contains("big-0100") && !rowIds().contains("big-0000"));
        wait.until(ExpectedConditions.textToBe(By.id("live"), "Live"));

        // Then: a node on screen changes live, and one off screen moves only the counts.
        assertEquals(200, api.admin(adminJwt, "POST", "/v0/nodes/big-0150/approve").status());
        awaitCell("big-0150", "state", "Online");
        wait.until(ExpectedConditions.textToBe(By.id("count-online"), "1"));
        assertEquals(200, api.admin(adminJwt, "POST", "/v0/nodes/big-1500/approve").status());
        wait.until(ExpectedConditions.textToBe(By.id("count-online"), "2"));
        assertTrue(!rowIds().contains("big-1500"), "a node off this page gets no row");

        // And a search asks the server: the 50 nodes whose id starts with big-20.
        driver.findElement(By.id("search")).sendKeys("big-20");
        wait.until(d -> rowIds().size() == 50 && rowIds().getFirst().equals("big-2000"));
        driver.findElement(By.id("state-filter")).sendKeys("Online");
        wait.until(d -> rowIds().isEmpty());
        Files.write(SCREENSHOTS.resolve("big-fleet.png"), driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    private static void logIn() {
        driver.get(api.baseUrl() + "/");
        driver.executeScript("sessionStorage.clear();");
        driver.navigate().refresh();
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys("test");
        driver.findElement(By.id("login-submit")).click();
    }

    private static List<String> rowIds() {
        try {
            return driver.findElements(By.cssSelector("#nodes-body tr")).stream()
                    .map(row -> row.getAttribute("data-id")).toList();
        } catch (StaleElementReferenceException redrawn) {
            return List.of();
        }
    }

    private static void awaitCell(String nodeId, String column, String text) {
        new WebDriverWait(driver, PATIENCE).until(d -> {
            List<WebElement> cells = driver.findElements(
                    By.cssSelector("#nodes-body tr[data-id='" + nodeId + "'] td[data-col='" + column + "']"));
            try {
                return !cells.isEmpty() && cells.getFirst().getText().equals(text);
            } catch (StaleElementReferenceException redrawn) {
                return false;
            }
        });
    }
}
