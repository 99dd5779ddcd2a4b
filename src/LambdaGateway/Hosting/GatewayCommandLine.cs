using System.Globalization;

namespace SessionsServerless.LambdaGateway;

/// <summary>Reads the command line: <c>sessions-lambda-gateway [options] [-- command [arguments]]</c>.</summary>
internal static class GatewayCommandLine
{
    public const string Usage = """
        Usage: sessions-lambda-gateway [options] [-- <command> [arguments...]]

        Serves HTTP on 127.0.0.1, turns each request into an API Gateway event, and hands it to your app
        through a Lambda Runtime API on another loopback port. The command starts the app with
        AWS_LAMBDA_RUNTIME_API set, so an app with builder.Services.AddLambdaHosting() runs its real Lambda loop.

        Options:
          --port <number>              HTTP port on 127.0.0.1 (default 3000; 0 picks a free port)
          --event <v2|v1>              v2: HTTP API payload 2.0 events (default); v1: REST API proxy events
          --timeout <seconds>          how long one invocation may run (default 30)
          --init-timeout <seconds>     how long the app may take to ask for its first invocation (default 120)
          --runtime-api-port <number>  Runtime API port on 127.0.0.1 (default: a free port)
          -h, --help                   show this help

        Examples:
          sessions-lambda-gateway -- dotnet run --project src/MyApp
          sessions-lambda-gateway --event v1 --port 8080 -- dotnet src/MyApp/bin/Release/net10.0/MyApp.dll
          sessions-lambda-gateway -- ./artifacts/lambda-aot/bootstrap

        Without a command the gateway waits for an app you start yourself (for example under a debugger)
        with AWS_LAMBDA_RUNTIME_API=127.0.0.1:<runtime-api-port>.
        """;

    /// <summary>The options, or why the command line is wrong.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="options">The options, when the command line is right and help was not asked for.</param>
    /// <param name="error">What is wrong, or <see langword="null"/>.</param>
    /// <returns>Whether to run (false: print help or <paramref name="error"/>).</returns>
    public static bool TryParse(IReadOnlyList<string> args, out GatewayOptions? options, out string? error)
    {
        options = null;
        error = null;
        int port = 3000, runtimeApiPort = 0;
        var format = EventFormat.HttpApi;
        var timeout = TimeSpan.FromSeconds(30);
        var initTimeout = TimeSpan.FromSeconds(120);
        int i = 0;
        for (; i < args.Count && args[i] != "--"; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help" or "-?")
            {
                return false;
            }

            if (!name.StartsWith('-'))
            {
                error = $"Unknown argument '{name}'. Put the app's command after --.";
                return false;
            }

            if (i + 1 >= args.Count || args[i + 1] == "--")
            {
                error = $"{name} needs a value.";
                return false;
            }

            string value = args[++i];
            error = name switch
            {
                "--port" => Port(name, value, out port),
                "--runtime-api-port" => Port(name, value, out runtimeApiPort),
                "--event" => Format(value, out format),
                "--timeout" => Seconds(name, value, out timeout),
                "--init-timeout" => Seconds(name, value, out initTimeout),
                _ => $"Unknown option '{name}'.",
            };
            if (error is not null)
            {
                return false;
            }
        }

        bool hasCommand = i + 1 < args.Count;
        if (runtimeApiPort == port && port != 0)
        {
            error = "--port and --runtime-api-port must differ.";
            return false;
        }

        options = new GatewayOptions
        {
            Port = port,
            RuntimeApiPort = runtimeApiPort,
            EventFormat = format,
            Timeout = timeout,
            InitTimeout = initTimeout,
            Command = hasCommand ? args[i + 1] : null,
            Arguments = hasCommand ? args.Skip(i + 2).ToArray() : [],
        };
        return true;
    }

    private static string? Port(string name, string value, out int port) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535
            ? null
            : $"{name} must be a port number from 0 to 65535, not '{value}'.";

    private static string? Seconds(string name, string value, out TimeSpan duration)
    {
        bool valid = double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && seconds <= 86400;
        duration = valid ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
        return valid ? null : $"{name} must be a number of seconds above 0, not '{value}'.";
    }

    private static string? Format(string value, out EventFormat format)
    {
        switch (value.ToLowerInvariant())
        {
            case "v2" or "2.0" or "http":
                format = EventFormat.HttpApi;
                return null;
            case "v1" or "1.0" or "rest":
                format = EventFormat.RestApi;
                return null;
            default:
                format = EventFormat.HttpApi;
                return $"--event must be v2 (HTTP API payload 2.0) or v1 (REST API), not '{value}'.";
        }
    }
}
