using System.Runtime.InteropServices;
using SessionsServerless.TestSupport;
using SessionsServerless.TestSupport.FunctionsWorker;

// Usage: SessionsServerless.Bench.FunctionsHosts <custom-handler|worker> <publish folder> [NAME=VALUE ...]
// The NAME=VALUE pairs are app settings (environment variables of the app). Prints "listening <url>" once the app
// answers, then serves until stdin closes or SIGTERM/SIGINT.
if (args.Length < 2 || args[0] is not ("custom-handler" or "worker"))
{
    Console.Error.WriteLine("Usage: SessionsServerless.Bench.FunctionsHosts <custom-handler|worker> <publish folder> [NAME=VALUE ...]");
    return 2;
}

var settings = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (string pair in args.Skip(2))
{
    int equals = pair.IndexOf('=', StringComparison.Ordinal);
    if (equals <= 0)
    {
        Console.Error.WriteLine($"An app setting must be NAME=VALUE, not '{pair}'.");
        return 2;
    }

    settings[pair[..equals]] = pair[(equals + 1)..];
}

string folder = Path.GetFullPath(args[1]);
var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
_ = Task.Run(async () =>
{
    // The benchmark script holds stdin open; when it goes away, so does this host (and the app it started).
    await Console.OpenStandardInput().CopyToAsync(Stream.Null);
    stop.TrySetResult();
});

if (args[0] == "custom-handler")
{
    await using var handler = await CustomHandlerProcess.StartAsync(folder, settings);
    await using var frontDoor = await FunctionsFrontDoor.StartAsync(handler.Host);
    Console.WriteLine($"listening {frontDoor.Address}");
    await stop.Task;
}
else
{
    await using var host = await WorkerFunctionsHost.StartAsync(folder, settings);
    Console.WriteLine($"listening {host.BaseAddress} worker {host.ProcessId}");
    await stop.Task;
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
