package io.llmlb.health.standalone;

import java.io.File;
import java.nio.file.Path;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** The Debian Chromium and chromedriver the dashboard tests drive, started the same way by each. */
final class HeadlessChromium {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /**
     * Headless, with its own profile, nothing fetched from outside, and the browser console kept
     * so a test can fail on its errors. Both paths set: Selenium must not go looking for (or
     * download) a browser or a driver.
     */
    static ChromeOptions options(Path profileDir, int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--user-data-dir=" + profileDir, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return options;
    }

    static ChromeDriver start(ChromeOptions options, File driverLog) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .withLogFile(driverLog)
                .build();
        return new ChromeDriver(service, options);
    }
}
