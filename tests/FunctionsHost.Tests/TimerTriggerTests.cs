namespace SessionsServerless.FunctionsHost.Tests;

[Collection(WorkerAppCollection.Name)]
public sealed class TimerTriggerTests(WorkerAppFixture fixture)
{
    [Fact]
    public async Task A_timer_invocation_runs_over_grpc_with_the_timer_info_and_the_app_settings_and_returns_its_logs()
    {
        var outcome = await fixture.Host.InvokeTimerAsync("Tick");

        Assert.True(outcome.Succeeded, outcome.ExceptionMessage);
        Assert.Equal("Tick", outcome.FunctionName);
        Assert.Contains(outcome.Logs, l => l.Message == $"Tick ran (past due: False): {WorkerAppFixture.TickMessage}");
        Assert.Contains(fixture.Host.Logs, l => l.InvocationId == outcome.InvocationId);
    }

    [Fact]
    public async Task A_failing_timer_invocation_reports_the_exception()
    {
        var outcome = await fixture.Host.InvokeTimerAsync("Tick", isPastDue: true);

        Assert.False(outcome.Succeeded);
        Assert.Contains("The tick was past due.", outcome.ExceptionMessage, StringComparison.Ordinal);
        Assert.Contains(outcome.Logs, l => l.Message.StartsWith("Tick ran (past due: True)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_timer_functions_can_be_invoked_as_timers()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Host.InvokeTimerAsync("Echo"));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Host.InvokeTimerAsync("NoSuchFunction"));
    }
}
