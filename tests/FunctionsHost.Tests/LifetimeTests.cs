using System.Diagnostics;

namespace SessionsServerless.FunctionsHost.Tests;

[Collection(WorkerAppCollection.Name)]
public sealed class LifetimeTests(WorkerAppFixture fixture)
{
    [Fact]
    public async Task Disposing_the_host_ends_the_worker_process_and_frees_the_front_door()
    {
        var host = await WorkerFunctionsHost.StartAsync(fixture.Folder);
        int pid = host.ProcessId;
        Uri frontDoor = host.BaseAddress;
        Assert.False(host.HasExited);

        await host.DisposeAsync();

        Assert.True(host.HasExited);
        // Reaped, not a zombie: the process table no longer has the id.
        Assert.False(Directory.Exists($"/proc/{pid}"), $"Process {pid} is still in the process table.");
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(frontDoor, "echo/x")));
    }

    [Fact]
    public async Task A_worker_that_cannot_start_gives_a_clear_error_with_its_output_quickly()
    {
        string broken = TestEnvironment.CreateTemporaryDirectory("broken-worker");
        try
        {
            foreach (string file in Directory.EnumerateFiles(fixture.Folder))
            {
                File.Copy(file, Path.Combine(broken, Path.GetFileName(file)));
            }

            File.Delete(Path.Combine(broken, "IsolatedWorkerApp.dll"));
            var watch = Stopwatch.StartNew();

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => WorkerFunctionsHost.StartAsync(broken));

            Assert.True(watch.Elapsed < WorkerFunctionsHost.StartTimeout, $"It took {watch.Elapsed}.");
            Assert.Contains("StartStream", error.Message, StringComparison.Ordinal);
            Assert.Contains("exited with code", error.Message, StringComparison.Ordinal);
            Assert.Contains("IsolatedWorkerApp.dll", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(broken, recursive: true);
        }
    }

    [Fact]
    public async Task A_folder_without_worker_config_is_refused()
    {
        string empty = TestEnvironment.CreateTemporaryDirectory("not-a-worker");
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => WorkerFunctionsHost.StartAsync(empty));
            Assert.Contains("worker.config.json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
