using Codify.Benchmarks;

// Usage (as root, like the Sandbox): dotnet run -c Release --project Codify.Benchmarks [iterations]
var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 30;
return await SandboxStartBenchmark.RunAsync(iterations);
