// Runs the Patchbay benchmarks: `dotnet run -c Release --project bench/Patchbay.Benchmarks -- --filter '*'`.
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Patchbay.Benchmarks.CodecBenchmarks).Assembly).Run(args);
