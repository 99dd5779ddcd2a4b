using Microsoft.Extensions.Options;

namespace SessionsServerless.Stores.Redis;

/// <summary>Checks the Redis store's options when the store is created, and says how to fix each problem.</summary>
internal static class RedisSessionStoreOptionsValidator
{
    /// <exception cref="OptionsValidationException">The options are not valid; the message says what to set.</exception>
    public static void ThrowIfInvalid(RedisSessionStoreOptions options)
    {
        var failures = new List<string>();
        if (options.KeyPrefix is null || options.KeyPrefix.Any(char.IsControl))
        {
            failures.Add($"Sessions:Redis:KeyPrefix must be text without control characters (default '{RedisSessionStoreOptions.DefaultKeyPrefix}').");
        }

        if (options.TimeToLiveWithoutExpiry <= TimeSpan.Zero)
        {
            failures.Add("Sessions:Redis:TimeToLiveWithoutExpiry must be positive (default 14.00:00:00): every session key gets a time to live.");
        }

        if (options.MaxSessionSize <= 0)
        {
            failures.Add($"Sessions:Redis:MaxSessionSize must be a positive number of bytes (default {RedisSessionStoreOptions.DefaultMaxSessionSize}).");
        }

        if (failures.Count > 0)
        {
            throw Failure(failures);
        }
    }

    public static OptionsValidationException Failure(params IEnumerable<string> failures) =>
        new(Options.DefaultName, typeof(RedisSessionStoreOptions), failures);
}
