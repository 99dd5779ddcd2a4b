using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Micro -- --filter '*'            (full run)
// dotnet run -c Release --project bench/Micro -- --filter '*' --job Dry  (CI smoke: each benchmark once)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
