using System.Runtime.InteropServices;
using SessionsServerless.LambdaGateway;

if (!GatewayCommandLine.TryParse(args, out var options, out string? error))
{
    if (error is null)
    {
        Console.WriteLine(GatewayCommandLine.Usage);
        return 0;
    }

    Console.Error.WriteLine(error);
    Console.Error.WriteLine("Run sessions-lambda-gateway --help for the options.");
    return 2;
}

LambdaGateway gateway;
try
{
    gateway = await LambdaGateway.StartAsync(options!);
}
catch (IOException exception)
{
    Console.Error.WriteLine($"The gateway could not listen: {exception.Message} Choose other ports with --port and --runtime-api-port.");
    return 1;
}

await using (gateway)
{
    var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    await Task.WhenAny(stop.Task, gateway.WaitForShutdownAsync());

    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.TrySetResult();
    }
}

return 0;
