using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SessionsServerless.AzureFunctions;

/// <summary>
/// Under the Functions host, puts the forwarded-request handling first in the pipeline, so everything after it (the
/// session middleware's Secure flag, redirects, logging of the client address) sees the public request.
/// </summary>
internal sealed class ForwardedRequestStartupFilter : IStartupFilter
{
    private readonly IConfiguration _configuration;
    private readonly AzureFunctionsHostingOptions _options;

    public ForwardedRequestStartupFilter(IConfiguration configuration, IOptions<AzureFunctionsHostingOptions> options)
    {
        _configuration = configuration;
        _options = options.Value;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (CustomHandlerPort.IsSet(_configuration))
        {
            app.UseMiddleware<ForwardedRequestMiddleware>();
            app.UseForwardedHeaders(CreateForwardedHeadersOptions(_options));
        }

        next(app);
    };

    /// <summary>
    /// X-Forwarded-For and X-Forwarded-Proto from the loopback address only (the Functions host on the same machine),
    /// one entry each: the rightmost, which the platform's front end appended; X-Forwarded-Host only for allowed hosts.
    /// </summary>
    internal static ForwardedHeadersOptions CreateForwardedHeadersOptions(AzureFunctionsHostingOptions options)
    {
        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Add(new System.Net.IPNetwork(IPAddress.Loopback, 8));
        forwarded.KnownProxies.Add(IPAddress.IPv6Loopback);
        if (options.ForwardedHosts.Count > 0)
        {
            forwarded.ForwardedHeaders |= ForwardedHeaders.XForwardedHost;
            foreach (string host in options.ForwardedHosts)
            {
                forwarded.AllowedHosts.Add(host);
            }
        }

        return forwarded;
    }
}
