namespace SessionsServerless.FunctionsHost.Tests;

[Collection(WorkerAppCollection.Name)]
public sealed class HandshakeTests(WorkerAppFixture fixture)
{
    [Fact]
    public void The_worker_indexes_and_loads_every_function_with_its_trigger()
    {
        var functions = fixture.Host.Functions.ToDictionary(f => f.Name);

        Assert.Equal(["Archive", "Echo", "ItemById", "ItemByName", "Report", "Throw", "Tick"], functions.Keys.Order());
        Assert.Equal("httpTrigger", functions["Echo"].TriggerType);
        Assert.Equal("echo/{name}", functions["Echo"].Route);
        Assert.Equal(["GET", "POST"], functions["Echo"].Methods);
        Assert.Equal("request", functions["Echo"].TriggerBindingName);
        Assert.Equal("timerTrigger", functions["Tick"].TriggerType);
        Assert.Null(functions["Tick"].Route);
        Assert.All(functions.Values, f => Assert.NotEmpty(f.FunctionId));
    }

    [Fact]
    public void The_worker_advertises_its_own_http_endpoint_and_the_route_prefix_comes_from_host_json()
    {
        Assert.True(fixture.Host.WorkerCapabilities.TryGetValue("HttpUri", out string? uri));
        Assert.True(Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsLoopback, uri);
        Assert.Equal(string.Empty, fixture.Host.RoutePrefix);
        Assert.False(fixture.Host.HasExited);
    }
}
