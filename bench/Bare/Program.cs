// The baselines for the macro benchmark: the demo's host (slim builder, default logging, the same settings from the
// command line) answering what /counter answers, with no sessions. The difference to the demo is the session work.
//
// /bare          the body alone.
// /bare-cookie   what any cookie session must also carry: the benchmark sends it the same Cookie header as /counter,
//                and it answers with a precomputed Set-Cookie of the same length as /counter's (--SetCookie=<value>,
//                taken by bench/macro/run.mjs from a real /counter response), so the difference to /counter is the
//                session's own work and not the bytes on the wire.
using Microsoft.Extensions.Primitives;

var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
var setCookie = new StringValues(app.Configuration["SetCookie"] ?? "session=" + new string('x', 700) + "; path=/; httponly; samesite=lax");
app.MapGet("/bare", () => "You have visited this page 1 times");
app.MapGet("/bare-cookie", (HttpContext context) =>
{
    context.Response.Headers.SetCookie = setCookie;
    context.Response.Headers.CacheControl = "no-store";
    return "You have visited this page 1 times";
});
app.Run();
