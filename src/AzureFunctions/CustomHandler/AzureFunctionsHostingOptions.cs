namespace SessionsServerless.AzureFunctions;

/// <summary>Options for running an ASP.NET Core app as an Azure Functions custom handler.</summary>
public sealed class AzureFunctionsHostingOptions
{
    /// <summary>
    /// Host names accepted from an <c>X-Forwarded-Host</c> header, for a proxy in front of the function app (Azure Front
    /// Door, API Management) that rewrites the <c>Host</c> header. Empty (the default) ignores <c>X-Forwarded-Host</c>: the
    /// Functions host passes the public <c>Host</c> header through unchanged, and a client could otherwise pick the host
    /// its redirects point at. Entries follow <c>ForwardedHeadersOptions.AllowedHosts</c>: <c>example.com</c>,
    /// <c>*.example.com</c>.
    /// </summary>
    public IList<string> ForwardedHosts { get; } = new List<string>();

    /// <summary>
    /// How long one run of the <c>PurgeExpiredSessions</c> timer may delete sessions before it stops and reports success,
    /// leaving the rest to the next run (default 80 seconds). The Functions host gives up on a custom-handler invocation
    /// after 100 seconds, so keep it below that.
    /// </summary>
    public TimeSpan PurgeTimeLimit { get; set; } = TimeSpan.FromSeconds(80);
}
