using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SessionsServerless.AzureFunctions;

/// <summary>
/// Under the Functions host, makes Kestrel listen on 127.0.0.1 at <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> and nowhere else
/// (endpoints configured in code replace <c>ASPNETCORE_URLS</c> and <c>--urls</c>).
/// </summary>
internal sealed class CustomHandlerKestrelSetup : IConfigureOptions<KestrelServerOptions>
{
    private readonly IConfiguration _configuration;

    public CustomHandlerKestrelSetup(IConfiguration configuration)
    {
        _configuration = configuration;
    }

    public void Configure(KestrelServerOptions options)
    {
        if (CustomHandlerPort.Read(_configuration) is { } port)
        {
            options.Listen(IPAddress.Loopback, port);
        }
    }
}
