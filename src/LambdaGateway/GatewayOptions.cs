namespace SessionsServerless.LambdaGateway;

/// <summary>What the gateway listens on, which events it sends, and which app it runs.</summary>
internal sealed class GatewayOptions
{
    /// <summary>The largest event Lambda accepts, and the largest response it returns (6 MB).</summary>
    public const int PayloadLimit = 6 * 1024 * 1024;

    /// <summary>The HTTP port on 127.0.0.1 (default 3000, as <c>sam local start-api</c>); 0 picks a free port.</summary>
    public int Port { get; init; } = 3000;

    /// <summary>The Runtime API port on 127.0.0.1; 0 (the default) picks a free port.</summary>
    public int RuntimeApiPort { get; init; }

    /// <summary>The events sent to the app.</summary>
    public EventFormat EventFormat { get; init; } = EventFormat.HttpApi;

    /// <summary>How long one invocation may run once the app took it (the function timeout). Default 30 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a started app may take to ask for its first invocation (<c>dotnet run</c> builds first). Default 120 seconds.
    /// Without a command: how long a request waits for an app to ask for it.
    /// </summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The command that starts the app, or <see langword="null"/> to wait for an app started by hand (for example under a debugger).</summary>
    public string? Command { get; init; }

    /// <summary>The command's arguments.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The app's working directory; <see langword="null"/> for the gateway's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment variables set for the app on top of the gateway's own (a <see langword="null"/> value removes one).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Receives each line the app writes (stdout and stderr); by default the gateway's console.</summary>
    public Action<string, bool>? AppOutput { get; init; }
}
