using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SessionsServerless.Lambda;

/// <summary>Puts the Lambda logger in place of the console logger.</summary>
internal static class LambdaLoggingRegistration
{
    private const string ConsoleLoggerProvider = "Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider";

    public static void AddLambdaLogging(IServiceCollection services, LambdaLogSettings settings)
    {
        // The console logger would write every record a second time, without its invocation and in neither of Lambda's formats.
        for (int i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(ILoggerProvider) && services[i].ImplementationType?.FullName == ConsoleLoggerProvider)
            {
                services.RemoveAt(i);
            }
        }

        services.AddLogging();
        services.AddSingleton<ILoggerProvider>(_ => new LambdaLoggerProvider(settings));
        if (settings.MinimumLevel is { } level)
        {
            // AWS_LAMBDA_LOG_LEVEL takes the place of the app's default level; levels set for a category still apply, and
            // nothing below AWS_LAMBDA_LOG_LEVEL is written whatever they say.
            services.PostConfigure<LoggerFilterOptions>(options =>
            {
                options.MinLevel = level;
                for (int i = 0; i < options.Rules.Count; i++)
                {
                    var rule = options.Rules[i];
                    if (rule.ProviderName is null && rule.CategoryName is null && rule.Filter is null)
                    {
                        options.Rules[i] = new LoggerFilterRule(null, null, level, null);
                    }
                }
            });
        }
    }
}
