using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using SessionsServerless.TestSupport.FunctionsWorker;
using SessionsServerless.Templates.Tests.Support;

namespace SessionsServerless.Templates.Tests;

/// <summary>
/// sessions-functions with <c>--model isolated</c>: <c>dotnet publish</c> (reusing the build the workspace already made)
/// writes the folder a Functions host runs, with the metadata it indexes, and that folder serves sessions through the
/// local Functions host (tests/TestSupport/FunctionsWorker), the table variant's purge timer included.
/// </summary>
[Collection(GeneratedProjectsCollection.Name)]
public sealed class IsolatedFunctionsTemplateTests(TemplateWorkspace workspace)
{
    public static TheoryData<string> Variants => TemplateVariant.Ids(v => v.IsIsolated);

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Publish_writes_what_the_Functions_host_needs_to_index_and_start_the_worker(string id)
    {
        var publish = await workspace.PublishAsync(id);
        var variant = TemplateVariant.Get(id);
        Assert.True(publish.Result.Succeeded, publish.Result.ToString());
        // The worker SDK's hidden WorkerExtensions project is the only thing allowed to warn (NU1603, see the build test).
        Assert.All(publish.Warnings, line => Assert.Contains("warning NU1603", line, StringComparison.Ordinal));
        string folder = publish.Directory;

        // worker.config.json: how the host starts the worker.
        var description = Json(folder, "worker.config.json")["description"]!;
        Assert.Equal("dotnet-isolated", description["language"]!.GetValue<string>());
        Assert.Equal("dotnet", description["defaultExecutablePath"]!.GetValue<string>());
        Assert.Equal(variant.Name + ".dll", description["defaultWorkerPath"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(folder, variant.Name + ".dll")));

        // functions.metadata: the app's HTTP functions and, with the table store, the purge timer on its app setting.
        var functions = Json(folder, "functions.metadata").AsArray().ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!);
        string[] http = ["Home", "SignIn", "SignOut"];
        string[] expected = variant.Store == "table" ? [.. http, "PurgeExpiredSessions"] : http;
        Assert.Equal(expected.Order(StringComparer.Ordinal), functions.Keys.Order(StringComparer.Ordinal));
        var routes = http.ToDictionary(name => name, name => Trigger(functions[name]));
        Assert.All(routes.Values, trigger => Assert.Equal("httpTrigger", trigger["type"]!.GetValue<string>()));
        Assert.All(routes.Values, trigger => Assert.Equal("Anonymous", trigger["authLevel"]!.GetValue<string>()));
        Assert.Equal("{root:maxlength(0)?}", routes["Home"]["route"]!.GetValue<string>());
        Assert.Equal("sign-in", routes["SignIn"]["route"]!.GetValue<string>());
        Assert.Equal("sign-out", routes["SignOut"]["route"]!.GetValue<string>());
        Assert.Equal(["get"], routes["Home"]["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["post"], routes["SignIn"]["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
        if (variant.Store == "table")
        {
            var timer = Trigger(functions["PurgeExpiredSessions"]);
            Assert.Equal("timerTrigger", timer["type"]!.GetValue<string>());
            Assert.Equal("%SessionsPurgeSchedule%", timer["schedule"]!.GetValue<string>());
            Assert.Equal(variant.Name + ".dll", functions["PurgeExpiredSessions"]["scriptFile"]!.GetValue<string>());
        }

        // extensions.json: the host-side extensions the WorkerExtensions project built, each where its hintPath says.
        var extensions = Json(folder, "extensions.json")["extensions"]!.AsArray();
        Assert.NotEmpty(extensions);
        Assert.All(extensions, e => Assert.True(
            File.Exists(Path.Combine(folder, e!["hintPath"]!.GetValue<string>())),
            $"extensions.json names {e["hintPath"]}, which was not published."));

        // host.json: the routes at the root, as the template's functions are written.
        Assert.Equal(string.Empty, Json(folder, "host.json")["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(folder, "local.settings.json")), "local.settings.json (with the development key) was published.");
    }

    [Fact]
    public async Task With_the_cookie_store_the_published_worker_serves_a_session_through_the_local_Functions_host()
    {
        var publish = await workspace.PublishAsync("functions-isolated-cookie");
        Assert.True(publish.Result.Succeeded, publish.Result.ToString());

        await using var host = await StartAsync(publish.Directory, new Dictionary<string, string>());
        var visitor = new Visitor(host.BaseAddress);

        Assert.Equal(1, await visitor.VisitAsync());
        Assert.Equal(2, await visitor.VisitAsync());
        Assert.Equal("Ada", await visitor.SignInAsync("Ada"));
        Assert.Equal(3, await visitor.VisitAsync());
    }

    [Fact]
    public async Task With_the_table_store_the_published_worker_keeps_sessions_in_Azure_Tables_and_its_timer_purges_the_expired_ones()
    {
        var publish = await workspace.PublishAsync("functions-isolated-table");
        Assert.True(publish.Result.Succeeded, publish.Result.ToString());
        var azurite = new AzuriteServer();
        await azurite.InitializeAsync();
        try
        {
            var table = await azurite.CreateTableAsync();
            // What the generated infra/main.bicep sets, with a connection string in place of the managed identity endpoint.
            var settings = new Dictionary<string, string>
            {
                ["Sessions__Store"] = "table",
                ["Sessions__AzureTables__ConnectionString"] = azurite.ConnectionString,
                ["Sessions__AzureTables__TableName"] = table.Name,
            };
            await using var host = await StartAsync(publish.Directory, settings);
            var before = await SessionKeysAsync(table);
            var visitor = new Visitor(host.BaseAddress);

            Assert.Equal(1, await visitor.VisitAsync());
            Assert.Equal(2, await visitor.VisitAsync());
            string stored = Assert.Single((await SessionKeysAsync(table)).Except(before));

            // A session that expired an hour ago, as the store writes one (partition = the key's first two characters).
            string expiredKey = new('a', 64);
            await table.AddEntityAsync(new TableEntity(expiredKey[..2], expiredKey)
            {
                ["Data"] = "{}",
                ["ExpiresAt"] = DateTimeOffset.UtcNow.AddHours(-1),
            });
            var purge = await host.InvokeTimerAsync("PurgeExpiredSessions");

            Assert.True(purge.Succeeded, purge.ExceptionMessage);
            Assert.Contains(purge.Logs, l => l.Message.StartsWith("Purged 1 expired session from the table store", StringComparison.Ordinal));
            var after = await SessionKeysAsync(table);
            Assert.DoesNotContain(expiredKey, after);
            Assert.Contains(stored, after);
            Assert.Equal(3, await visitor.VisitAsync());
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    /// <summary>
    /// Starts the published folder under the local host with the test key and the purge schedule set (what the Bicep sets
    /// as app settings; local.settings.json is not published), then sends one request that no test counts, so the
    /// worker's first invocation is done (see tests/AzureFunctions.Worker.Tests/Support/WorkerApps.cs for why).
    /// </summary>
    private static async Task<WorkerFunctionsHost> StartAsync(string folder, Dictionary<string, string> settings)
    {
        settings["Sessions__EncryptionKey"] = TemplateWorkspace.TestKey;
        settings["SessionsPurgeSchedule"] = "0 0 0 1 1 *";
        var host = await WorkerFunctionsHost.StartAsync(folder, settings);
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            using var response = await client.PostAsync("sign-out", null);
            if (response.IsSuccessStatusCode)
            {
                break;
            }
        }

        return host;
    }

    private static JsonNode Json(string folder, string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, file)))!;

    private static JsonNode Trigger(JsonNode function) =>
        function["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!;

    /// <summary>The row keys (hashed session ids) of the sessions in the table, sorted.</summary>
    private static async Task<List<string>> SessionKeysAsync(TableClient table)
    {
        var keys = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            keys.Add(entity.RowKey);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
