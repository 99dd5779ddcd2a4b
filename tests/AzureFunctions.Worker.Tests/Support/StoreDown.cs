namespace SessionsServerless.AzureFunctions.Worker.Tests.Support;

/// <summary>Settings for the table store pointed at a loopback port where nothing listens: every store call fails.</summary>
internal static class StoreDown
{
    public static Dictionary<string, string> TableSettings() => new(StringComparer.Ordinal)
    {
        ["Sessions__Store"] = "table",
        ["Sessions__AzureTables__ConnectionString"] =
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};" +
            $"TableEndpoint=http://127.0.0.1:{TestEnvironment.FreeLoopbackPort()}/{AzuriteServer.AccountName};",
        ["Sessions__AzureTables__TableName"] = "sessions",
    };

    /// <summary>A well-formed session id (43 base64url characters) as a server store's cookie carries it without an encryption key.</summary>
    public static string SomeSessionId() => Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray())
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
