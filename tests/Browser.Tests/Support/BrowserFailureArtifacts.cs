using Microsoft.Playwright;

namespace SessionsServerless.Browser.Tests.Support;

/// <summary>
/// What a failed browser test leaves for a look afterwards, under artifacts/browser-failures/: the page's screenshot and
/// HTML, and the server's log when the host keeps one.
/// </summary>
internal static class BrowserFailureArtifacts
{
    /// <summary>Keeps the artifacts of <paramref name="page"/>, named after <paramref name="caseName"/>.</summary>
    public static async Task KeepAsync(IPage page, string caseName, Func<string>? serverLog)
    {
        string folder = Path.Combine(TestEnvironment.RepositoryRoot, "artifacts", "browser-failures");
        Directory.CreateDirectory(folder);
        string stem = Path.Combine(folder, $"{caseName}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        if (serverLog is not null)
        {
            await File.WriteAllTextAsync(stem + ".log", serverLog());
        }

        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = stem + ".png", FullPage = true });
            await File.WriteAllTextAsync(stem + ".html", await page.ContentAsync());
            Console.Error.WriteLine($"Browser test failed; screenshot and HTML kept at {stem}.png/.html");
        }
        catch (PlaywrightException)
        {
            // The page itself is gone: nothing more to keep.
        }
    }
}
