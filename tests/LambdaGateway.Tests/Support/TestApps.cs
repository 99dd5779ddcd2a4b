namespace SessionsServerless.LambdaGateway.Tests.Support;

/// <summary>Apps the gateway runs: the LoginDemo sample, and small shell scripts that misbehave in one way each.</summary>
internal static class TestApps
{
    public const string EncryptionKey = "gateway-tests-encryption-key-0123456789abcdef";

    /// <summary>The LoginDemo sample on the dotnet host, in Production, with a key (or without: <paramref name="encryptionKey"/> null).</summary>
    public static GatewayOptions LoginDemo(EventFormat format, string? encryptionKey = EncryptionKey, string store = "cookie") => new()
    {
        Port = 0,
        EventFormat = format,
        Timeout = TimeSpan.FromSeconds(60),
        InitTimeout = TimeSpan.FromSeconds(60),
        Command = "dotnet",
        Arguments = [Path.Combine(AppContext.BaseDirectory, "LoginDemo.dll")],
        WorkingDirectory = AppContext.BaseDirectory,
        Environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Sessions__EncryptionKey"] = encryptionKey,
            ["Sessions__Store"] = store,
        },
    };

    /// <summary>A bash script as the app (it gets AWS_LAMBDA_RUNTIME_API like any app).</summary>
    public static GatewayOptions Script(string script, TimeSpan? timeout = null, TimeSpan? initTimeout = null) => new()
    {
        Port = 0,
        Timeout = timeout ?? TimeSpan.FromSeconds(60),
        InitTimeout = initTimeout ?? TimeSpan.FromSeconds(60),
        Command = "bash",
        Arguments = ["-c", script],
    };

    /// <summary>Bash that asks for the next invocation and returns once it was handed out (the status line arrived).</summary>
    public const string TakeInvocation = """
        exec 3<>"/dev/tcp/${AWS_LAMBDA_RUNTIME_API%:*}/${AWS_LAMBDA_RUNTIME_API#*:}"
        printf 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: runtime\r\n\r\n' >&3
        read -r status <&3
        """;
}
