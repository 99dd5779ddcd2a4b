using BenchmarkDotNet.Running;
using SessionsServerless.Benchmarks;

// dotnet run -c Release --project bench/Micro -- --filter '*'            (full run)
// dotnet run -c Release --project bench/Micro -- --filter '*' --job Dry  (CI smoke: each benchmark once)
// dotnet run -c Release --project bench/Micro -- --allocations           (where a writing request's bytes go)
if (args.Contains("--allocations"))
{
    AllocationBreakdown.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
