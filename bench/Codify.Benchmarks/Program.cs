using Codify.Benchmarks;
using Codify.Benchmarks.AppHost;
using Codify.Benchmarks.EndToEnd;
using Codify.Benchmarks.Sessions;

// Usage (as root, like the Sandbox), from the repository root:
//   dotnet run -c Release --project bench/Codify.Benchmarks                     e2e, apphost, then sessions: writes docs/benchmarks.md
//   dotnet run -c Release --project bench/Codify.Benchmarks -- e2e [requests] [pool size] [--mode ForkServer|Pool|Cold]
//     --mode sets the Sandbox's Sandbox:Mode (Sandbox__Mode); without it the Sandbox runs its default mode.
//   dotnet run -c Release --project bench/Codify.Benchmarks -- apphost [requests]   CPU per request under the real AppHost (dashboard
//     included), by component; replaces its section of docs/benchmarks.md
//   dotnet run -c Release --project bench/Codify.Benchmarks -- services requests rounds A=repo[,KEY=VALUE...] B=repo[,...]
//     the services' CPU per python hello at concurrency 4, two builds/environments interleaved round by round
//   dotnet run -c Release --project bench/Codify.Benchmarks -- start [iterations]   sandbox start cost only
//   dotnet run -c Release --project bench/Codify.Benchmarks -- cgroups [rounds]     a run's cgroups against no cgroups
//   dotnet run -c Release --project bench/Codify.Benchmarks -- seccomp [runs]       a run with the seccomp filter against without
//   dotnet run -c Release --project bench/Codify.Benchmarks -- sessions [rounds]    sessions: first cell, x + 1, a matplotlib cell vs cold
var modeAt = Array.IndexOf(args, "--mode");
var sandboxMode = modeAt >= 0 && modeAt + 1 < args.Length ? args[modeAt + 1] : null;
args = modeAt >= 0 ? [.. args[..modeAt], .. args[Math.Min(modeAt + 2, args.Length)..]] : args;
var command = args.Length > 0 ? args[0] : "all";
int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], out var n) ? n : fallback;
#if DEBUG
const string configuration = "Debug";
#else
const string configuration = "Release";
#endif
return command switch
{
    "start" => await SandboxStartBenchmark.RunAsync(Arg(1, 30)),
    "cgroups" => await CgroupCostBenchmark.RunAsync(Arg(1, 20)),
    "seccomp" => await SeccompCostBenchmark.RunAsync(Arg(1, 20)),
    "sessions" => await SessionBenchmark.RunAsync(Arg(1, 30), EndToEndBenchmark.FindRepo(), configuration),
    "all" => await EndToEndBenchmark.RunAsync(150, 4, EndToEndBenchmark.FindRepo(), configuration, sandboxMode) is var e2e and not 0
        ? e2e : await AppHostBenchmark.RunAsync(300, EndToEndBenchmark.FindRepo()) is var app and not 0
        ? app : await SessionBenchmark.RunAsync(30, EndToEndBenchmark.FindRepo(), configuration),
    "apphost" => await AppHostBenchmark.RunAsync(Arg(1, 300), EndToEndBenchmark.FindRepo()),
    "services" => await ServicesCpuBenchmark.RunAsync(Arg(1, 300), Arg(2, 4), ServicesCpuBenchmark.Parse(args[3]), ServicesCpuBenchmark.Parse(args[4])),
    "e2e" => await EndToEndBenchmark.RunAsync(requests: Arg(1, 150), poolSize: Arg(2, 4), EndToEndBenchmark.FindRepo(), configuration, sandboxMode),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Codify.Benchmarks [all | e2e [requests] [pool size] [--mode M] | apphost [requests] | start [iterations] | cgroups [rounds] | seccomp [runs] | sessions [rounds]]");
    return 2;
}
