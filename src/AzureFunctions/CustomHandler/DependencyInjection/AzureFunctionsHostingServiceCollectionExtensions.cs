using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SessionsServerless.AzureFunctions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs an ASP.NET Core app as an Azure Functions custom handler.</summary>
public static class AzureFunctionsHostingServiceCollectionExtensions
{
    /// <summary>
    /// When the app runs under the Azure Functions host (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> is set), listens on 127.0.0.1
    /// at that port only and applies the forwarded headers of requests the host forwards (scheme, client address; host
    /// only for <see cref="AzureFunctionsHostingOptions.ForwardedHosts"/>), trusting them from the loopback address only.
    /// Otherwise nothing changes. <c>dotnet publish</c> adds <c>host.json</c>, the function folders and
    /// <c>local.settings.json</c> to the output.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddAzureFunctionsHosting(this IServiceCollection services, Action<AzureFunctionsHostingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AzureFunctionsHostingOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureFunctionsHostingOptions>, AzureFunctionsHostingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IConfigureOptions<KestrelServerOptions>, CustomHandlerKestrelSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ForwardedRequestStartupFilter>());
        return services;
    }
}
