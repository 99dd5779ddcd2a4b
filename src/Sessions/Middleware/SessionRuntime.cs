using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SessionsServerless;

/// <summary>The pieces one request's session uses, built once from the validated options.</summary>
internal sealed class SessionRuntime
{
    public SessionRuntime(
        IOptions<SessionsOptions> options,
        IServiceProvider services,
        TimeProvider timeProvider,
        SessionMetrics metrics,
        SessionValueSerializer serializer,
        ILoggerFactory loggerFactory)
    {
        var settings = options.Value;
        Logger = loggerFactory.CreateLogger("SessionsServerless.SessionMiddleware");
        var keyring = CreateKeyring(settings);
        var expiry = new SessionExpiryPolicy(settings);
        var cookies = new SessionCookieWriter(settings.Cookie);

        string storeName = SessionStoreNames.Normalize(settings.Store);
        SessionPersistence persistence = storeName == SessionStoreNames.Cookie
            ? new CookieSessionPersistence(keyring ?? throw new InvalidOperationException("The cookie store needs Sessions:EncryptionKey."), timeProvider)
            : new StoreSessionPersistence(
                services.GetRequiredKeyedService<ISessionStore>(storeName),
                keyring,
                expiry.ExpiresAt,
                settings.ConcurrencyRetries,
                timeProvider,
                metrics,
                Logger);

        CookieIsEssential = settings.Cookie.IsEssential;
        Loader = new SessionLoader(persistence, cookies, expiry, serializer, services.GetServices<ISessionValidator>().ToArray(), timeProvider, metrics, Logger);
        Committer = new SessionCommitter(persistence, cookies, expiry, settings, timeProvider, metrics, Logger);
    }

    public SessionLoader Loader { get; }

    public SessionCommitter Committer { get; }

    public ILogger Logger { get; }

    /// <summary>Whether the session cookie is sent even without consent to non-essential cookies.</summary>
    public bool CookieIsEssential { get; }

    private static IronKeyring? CreateKeyring(SessionsOptions options)
    {
        if (string.IsNullOrEmpty(options.EncryptionKey))
        {
            return null;
        }

        return IronKeyring.ForSessions(options.EncryptionKey, options.PreviousEncryptionKeys);
    }
}
