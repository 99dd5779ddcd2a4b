using SessionsServerless;

namespace SessionsWorkerApp;

/// <summary>The session values the fixture keeps.</summary>
public static class Keys
{
    /// <summary>A visit counter.</summary>
    public static readonly SessionKey<int> Counter = new("counter");
}
