using Amazon.DynamoDBv2.Model;

namespace SessionsServerless.Templates.Tests.Support;

/// <summary>
/// Where a generated app keeps its sessions during one run, and the settings that point it there: the cookie store needs
/// only the key; the DynamoDB store gets a fresh table on dynalite (the local server the store's own tests use), with the
/// environment variables template.yaml and Lambda would set.
/// </summary>
internal sealed class AppStore : IAsyncDisposable
{
    private readonly DynaliteServer? _dynalite;
    private readonly string? _table;

    private AppStore(Dictionary<string, string?> settings, DynaliteServer? dynalite = null, string? table = null)
    {
        AppSettings = settings;
        _dynalite = dynalite;
        _table = table;
    }

    /// <summary>The app's environment variables for the run.</summary>
    public Dictionary<string, string?> AppSettings { get; }

    public static async Task<AppStore> StartAsync(TemplateVariant variant)
    {
        var settings = new Dictionary<string, string?> { ["Sessions__EncryptionKey"] = TemplateWorkspace.TestKey };
        if (variant.Store != "dynamodb")
        {
            return new AppStore(settings);
        }

        var dynalite = new DynaliteServer();
        await dynalite.InitializeAsync();
        string table = await dynalite.CreateTableAsync();
        string nowhere = Path.Combine(Path.GetTempPath(), "no-aws-files-" + Guid.NewGuid().ToString("N"));
        settings["Sessions__Store"] = "dynamodb";
        settings["Sessions__DynamoDb__TableName"] = table;
        settings["Sessions__DynamoDb__ServiceUrl"] = dynalite.ServiceUrl;
        settings["AWS_REGION"] = "us-east-1";
        settings["AWS_ACCESS_KEY_ID"] = "local";
        settings["AWS_SECRET_ACCESS_KEY"] = "local";
        settings["AWS_SESSION_TOKEN"] = null;
        settings["AWS_PROFILE"] = null;
        settings["AWS_ENDPOINT_URL"] = null;
        settings["AWS_ENDPOINT_URL_DYNAMODB"] = null;
        settings["AWS_CONFIG_FILE"] = Path.Combine(nowhere, "config");
        settings["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(nowhere, "credentials");
        settings["AWS_EC2_METADATA_DISABLED"] = "true";
        return new AppStore(settings, dynalite, table);
    }

    /// <summary>The session ids (hashed, as the store keeps them) in the server-side store; none for the cookie store.</summary>
    public async Task<IReadOnlyList<string>> StoredSessionIdsAsync()
    {
        if (_dynalite is null)
        {
            return [];
        }

        using var client = _dynalite.CreateClient();
        var scan = await client.ScanAsync(new ScanRequest { TableName = _table });
        return scan.Items.Select(item => item["id"].S).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_dynalite is not null)
        {
            await _dynalite.DisposeAsync();
        }
    }
}
