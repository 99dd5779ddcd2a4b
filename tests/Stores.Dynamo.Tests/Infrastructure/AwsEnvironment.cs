using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace SessionsServerless.Stores.DynamoDB.Tests.Infrastructure;

/// <summary>Tests that change the process's AWS environment variables run alone, one after the other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsEnvironmentCollection
{
    public const string Name = "AWS environment variables";
}

/// <summary>
/// Sets the standard AWS environment variables for one test: fixed local credentials, no region, endpoint or profile
/// unless given, and puts the previous values back afterwards.
/// </summary>
public sealed class AwsEnvironment : IDisposable
{
    private static readonly string[] Variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED",
    ];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(name => name, Environment.GetEnvironmentVariable);

    public AwsEnvironment(params (string Name, string Value)[] settings)
    {
        foreach (string name in Variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        string nowhere = Path.Combine(Path.GetTempPath(), "no-aws-files-" + Guid.NewGuid().ToString("N"));
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", Path.Combine(nowhere, "config"));
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(nowhere, "credentials"));
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "local");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "local");
        foreach (var (name, value) in settings)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        ResetSdkCaches();
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        ResetSdkCaches();
    }

    private static void ResetSdkCaches()
    {
        FallbackRegionFactory.Reset();
        FallbackInternalConfigurationFactory.Reset();
    }
}
