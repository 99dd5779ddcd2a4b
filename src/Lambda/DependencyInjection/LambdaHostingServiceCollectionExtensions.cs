using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SessionsServerless.Lambda;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Runs an ASP.NET Core app on AWS Lambda.</summary>
public static class LambdaHostingServiceCollectionExtensions
{
    /// <summary>The environment variable Lambda sets to the Runtime API's <c>host:port</c>.</summary>
    internal const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>
    /// When the <c>AWS_LAMBDA_RUNTIME_API</c> environment variable is set (the app runs on Lambda, on the <c>dotnet10</c>
    /// managed runtime or as a <c>provided.al2023</c> <c>bootstrap</c>), the app serves Lambda invocations from API Gateway
    /// (REST and HTTP APIs), Function URLs and Application Load Balancers instead of listening on a port. Otherwise nothing
    /// changes and Kestrel serves as usual. On Lambda the console logger is replaced by one that writes Lambda's log formats
    /// (<c>AWS_LAMBDA_LOG_FORMAT</c>, <c>AWS_LAMBDA_LOG_LEVEL</c>) with each invocation's request and trace ids, and what
    /// API Gateway authenticated becomes <c>HttpContext.User</c>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Adjusts the Lambda host's settings.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddLambdaHosting(this IServiceCollection services, Action<LambdaHostingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        string? runtimeApi = Environment.GetEnvironmentVariable(RuntimeApiVariable);
        return string.IsNullOrWhiteSpace(runtimeApi) ? services : services.AddLambdaRuntime(runtimeApi, configure, environment: LambdaEnvironment.FromVariables());
    }

    /// <summary>Serves invocations from the Runtime API at <paramref name="runtimeApi"/> (<c>host:port</c>).</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="runtimeApi">The Runtime API's <c>host:port</c>.</param>
    /// <param name="configure">Adjusts the Lambda host's settings.</param>
    /// <param name="logs">Where and how logs go; by default what Lambda's environment says (<c>AWS_LAMBDA_LOG_FORMAT</c>, ...).</param>
    /// <param name="environment">What the Lambda environment says about this process (concurrency, SnapStart); by default read from its variables.</param>
    internal static IServiceCollection AddLambdaRuntime(this IServiceCollection services, string runtimeApi, Action<LambdaHostingOptions>? configure = null, LambdaLogSettings? logs = null, LambdaEnvironment? environment = null)
    {
        var endpoint = RuntimeApiEndpoint.Parse(runtimeApi);
        var initErrors = new InitErrorReporter(endpoint);
        initErrors.Watch();

        services.AddOptions<LambdaHostingOptions>()
            .Validate(options => options.DeadlineMargin >= TimeSpan.Zero, "LambdaHostingOptions.DeadlineMargin must not be negative; set it to a small positive time such as 500 milliseconds.")
            .ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        LambdaLoggingRegistration.AddLambdaLogging(services, logs ?? LambdaLogSettings.FromEnvironment());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(initErrors);
        services.AddSingleton(_ => new RuntimeApiClient(endpoint));
        services.AddSingleton<IServer>(provider => new LambdaServer(
            provider.GetRequiredService<RuntimeApiClient>(),
            initErrors,
            provider.GetRequiredService<IOptions<LambdaHostingOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<Hosting.IHostApplicationLifetime>(),
            provider.GetRequiredService<Logging.ILoggerFactory>(),
            provider,
            environment ?? LambdaEnvironment.Default));
        return services;
    }
}
