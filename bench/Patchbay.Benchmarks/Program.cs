// Benchmark harness entry point: `dotnet run -c Release --project bench/Patchbay.Benchmarks -- --filter '*'`
// runs every [Benchmark] class in this assembly through BenchmarkDotNet's switcher.
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
