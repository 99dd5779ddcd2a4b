// The baseline for the macro benchmark: the demo's host (slim builder, default logging, the same settings from the
// command line) answering what /counter answers, with no sessions. The difference to the demo is the session work.
var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
app.MapGet("/bare", () => "You have visited this page 1 times");
app.Run();
