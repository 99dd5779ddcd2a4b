using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SessionsServerless.AzureFunctions;

/// <summary>
/// Reads <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, the port the Functions host sets for the custom handler process and sends
/// every invocation to (on 127.0.0.1).
/// </summary>
internal static class CustomHandlerPort
{
    /// <summary>The environment variable (and configuration key) the Functions host sets.</summary>
    public const string VariableName = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Whether the app runs under the Functions host.</summary>
    public static bool IsSet(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[VariableName]);

    /// <summary>The port, or <see langword="null"/> when the app does not run under the Functions host.</summary>
    /// <exception cref="InvalidOperationException">The variable is set but is not a TCP port number.</exception>
    public static int? Read(IConfiguration configuration)
    {
        string? value = configuration[VariableName];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException(
                $"{VariableName} is '{value}', which is not a TCP port number (1-65535). The Azure Functions host sets it for a " +
                "custom handler; outside the host, remove it to listen on the usual ASP.NET Core URLs.");
        }

        return port;
    }
}
