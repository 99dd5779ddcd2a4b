using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddSessions(builder.Configuration)
    .AddDynamoDbStore()
    .AddAzureTableStore();
builder.UseSessions();

await builder.Build().RunAsync();
