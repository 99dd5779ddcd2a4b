// Razor Pages TempData (a flash message after a redirect) kept in the library's session: HttpContext.Session is a view
// of it behind UseSessions(), so AddSessionStateTempDataProvider() needs no AddSession()/UseSession(). The same app runs
// on Kestrel and, when AWS_LAMBDA_RUNTIME_API is set, on AWS Lambda.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorPages().AddSessionStateTempDataProvider();
builder.Services.AddSessions(builder.Configuration);
builder.Services.AddLambdaHosting();

var app = builder.Build();
app.UseSessions();
app.MapRazorPages();
app.Run();
