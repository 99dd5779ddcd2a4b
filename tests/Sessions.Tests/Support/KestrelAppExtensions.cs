namespace SessionsServerless.Tests.Support;

/// <summary>Clients for the Kestrel apps the tests start.</summary>
internal static class KestrelAppExtensions
{
    /// <summary>A client that keeps the app's cookies as a browser does.</summary>
    public static CookieClient CreateClient(this KestrelApp app) => new(app.BaseAddress);
}
