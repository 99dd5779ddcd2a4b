using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace SessionsServerless.Tests.Support;

/// <summary>
/// A Kestrel app with sessions and small endpoints that drive every session operation:
/// GET /get/{key}, POST /set/{key}/{value}, POST /set-and-redirect/{key}/{value}, POST /flash/{key}/{value}, POST /forget/{key}, POST /touch, POST /delete,
/// POST /rotate, GET /count (increments), GET /counter (reads), GET /nothing.
/// </summary>
internal static class SessionTestApp
{
    public const string Key = "test_key_that_is_at_least_32_characters";

    public static readonly SessionKey<int> Counter = new("counter");

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public static Task<KestrelApp> StartAsync(
        Action<SessionsOptions>? configure = null,
        TimeProvider? clock = null,
        Action<SessionsBuilder>? stores = null,
        Action<WebApplication>? endpoints = null,
        ILoggerProvider? logger = null)
    {
        return KestrelApp.StartAsync(
            builder =>
            {
                if (clock is not null)
                {
                    builder.Services.AddSingleton(clock);
                }

                if (logger is not null)
                {
                    builder.Logging.SetMinimumLevel(LogLevel.Trace).AddFilter(_ => true).AddProvider(logger);
                }

                var sessions = builder.Services.AddSessions(options =>
                {
                    options.EncryptionKey = Key;
                    configure?.Invoke(options);
                });
                stores?.Invoke(sessions);
            },
            app =>
            {
                app.UseSessions();
                app.MapGet("/get/{key}", (string key, Session session) =>
                    session.TryGet(new SessionKey<string>(key), out var value) ? value : "<none>");
                app.MapPost("/set/{key}/{value}", (string key, string value, Session session) =>
                {
                    session.Set(new SessionKey<string>(key), value);
                    return "set";
                });
                app.MapPost("/set-and-redirect/{key}/{value}", (string key, string value, Session session) =>
                {
                    session.Set(new SessionKey<string>(key), value);
                    return Results.Redirect("/");
                });
                app.MapPost("/flash/{key}/{value}", (string key, string value, Session session) =>
                {
                    session.Flash(new SessionKey<string>(key), value);
                    return "flashed";
                });
                app.MapPost("/forget/{key}", (string key, Session session) =>
                {
                    session.Forget(key);
                    return "forgot";
                });
                app.MapPost("/touch", (Session session) =>
                {
                    session.Touch();
                    return "touched";
                });
                app.MapPost("/delete", (Session session) =>
                {
                    session.Delete();
                    return "deleted";
                });
                app.MapPost("/rotate", (Session session) =>
                {
                    session.RegenerateId();
                    return "rotated";
                });
                app.MapGet("/count", (Session session) =>
                {
                    int count = session.Get(Counter) + 1;
                    session.Set(Counter, count);
                    return count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                });
                app.MapGet("/counter", (Session session) =>
                    session.TryGet(Counter, out int value) ? value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "<none>");
                app.MapGet("/nothing", () => "nothing");
                endpoints?.Invoke(app);
            });
    }
}
