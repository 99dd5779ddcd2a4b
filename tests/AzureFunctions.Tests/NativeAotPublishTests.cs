using System.Net;
using System.Text.Json.Nodes;
using SessionsServerless.AzureFunctions.Tests.Support;

namespace SessionsServerless.AzureFunctions.Tests;

/// <summary>
/// The demo published with Native AOT for linux-x64 (what Azure runs: the Functions host image has no .NET 10) runs
/// under the emulated host from the executable host.json names. Built in its own artifacts folder so it shares no
/// obj/ with other test runs.
/// </summary>
public sealed class NativeAotPublishTests
{
    [Fact]
    public async Task The_Native_AOT_publish_runs_its_own_executable_under_the_host()
    {
        Assert.True(OperatingSystem.IsLinux(), "This check publishes for linux-x64 and runs the result, so it needs Linux.");
        string root = TestEnvironment.CreateTemporaryDirectory("aot");
        try
        {
            string folder = Path.Combine(root, "app");
            var publish = await ProcessRunner.RunAsync(
                ProcessRunner.Dotnet,
                [
                    "publish", TestEnvironment.DemoProject, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true",
                    "--artifacts-path", Path.Combine(root, "artifacts"), "-o", folder,
                ],
                TestEnvironment.RepositoryRoot,
                TimeSpan.FromMinutes(10));
            Assert.True(publish.ExitCode == 0, "Native AOT publish failed (it needs clang): " + publish);
            Assert.DoesNotContain("warning", publish.Output, StringComparison.OrdinalIgnoreCase);

            var description = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "host.json")))!["customHandler"]!["description"]!;
            Assert.Equal("LoginDemo", description["defaultExecutablePath"]!.GetValue<string>());
            if (OperatingSystem.IsLinux())
            {
                Assert.True(File.GetUnixFileMode(Path.Combine(folder, "LoginDemo")).HasFlag(UnixFileMode.UserExecute));
            }

            Assert.False(File.Exists(Path.Combine(folder, "LoginDemo.dll")));

            // With an artifacts path the generated function files go under it: nothing lands in the project folder (where
            // the next publish would pick it up as content), and the publish holds only the app's own folders.
            string project = Path.GetDirectoryName(TestEnvironment.DemoProject)!;
            Assert.False(Directory.Exists(Path.Combine(project, root.TrimStart('/'))), "The publish wrote into the project folder.");
            Assert.Equal(["HttpForwarder", "PurgeExpiredSessions"], Directory.GetDirectories(folder).Select(Path.GetFileName).Order());

            await using var app = await CustomHandlerProcess.StartAsync(folder, new Dictionary<string, string>
            {
                ["Sessions__Store"] = "memory",
                ["Sessions__EncryptionKey"] = PublishedDemo.EncryptionKey,
            });
            var browser = new PublicBrowser(app.Host, new Uri("https://sessions-demo.azurewebsites.net/"), RequestOrigin.Azure);
            using (var login = await browser.PostFormAsync("/login", new Dictionary<string, string> { ["email"] = "aot@example.com", ["password"] = "correct" }))
            {
                Assert.Equal(HttpStatusCode.Found, login.StatusCode);
            }

            Assert.Contains("; secure", Assert.Single(browser.LastSetCookies), StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Log out aot@example.com", await browser.GetPageAsync("/"), StringComparison.Ordinal);
            Assert.Equal(0, await PurgeTimerTests.PurgedCountAsync(app.Host));
            await RunsOnTheTableStoreAsync(folder);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Azure runs this executable with Sessions:Store=table (infra/), so the table store's reads, writes, deletes and
    /// purge must work without reflection: a login (insert, read, rotation) and the timer's purge against Azurite.
    /// </summary>
    private static async Task RunsOnTheTableStoreAsync(string folder)
    {
        await using var azurite = new AzuriteServer();
        await azurite.InitializeAsync();
        await using var app = await CustomHandlerProcess.StartAsync(folder, new Dictionary<string, string>
        {
            ["Sessions__Store"] = "table",
            ["Sessions__EncryptionKey"] = PublishedDemo.EncryptionKey,
            ["Sessions__AzureTables__ConnectionString"] = azurite.ConnectionString,
            ["Sessions__AzureTables__CreateTableIfNotExists"] = "true",
        });
        var browser = new PublicBrowser(app.Host, new Uri("https://sessions-demo.azurewebsites.net/"), RequestOrigin.Azure);
        Assert.Contains("You have visited this page 1 times", await browser.GetPageAsync("/counter"), StringComparison.Ordinal);
        using (var login = await browser.PostFormAsync("/login", new Dictionary<string, string> { ["email"] = "aot@example.com", ["password"] = "correct" }))
        {
            Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        }

        Assert.Contains("Log out aot@example.com", await browser.GetPageAsync("/"), StringComparison.Ordinal);

        // An expired session as the store writes one (partition = the key's first two characters), left for the purge.
        var table = azurite.TableClient("sessions");
        string key = new('e', 64);
        await table.AddEntityAsync(new Azure.Data.Tables.TableEntity("ee", key) { ["Data"] = "{}", ["ExpiresAt"] = DateTimeOffset.UtcNow.AddMinutes(-1) });
        Assert.Equal(1, await PurgeTimerTests.PurgedCountAsync(app.Host));
        Assert.Contains("Log out aot@example.com", await browser.GetPageAsync("/"), StringComparison.Ordinal);
        Assert.DoesNotContain(table.Query<Azure.Data.Tables.TableEntity>(), entity => entity.RowKey == key);
    }
}
