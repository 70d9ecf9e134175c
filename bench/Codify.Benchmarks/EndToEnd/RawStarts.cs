using System.Diagnostics;

namespace Codify.Benchmarks.EndToEnd;

/// <summary>
/// The baseline: the same Debian interpreter the sandbox runs, started raw (no sandbox) from an empty environment with
/// the sandbox's own flags on the same hello-world file, as a child of this process, timed from spawn to exit.
/// </summary>
public sealed class RawStarts : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codify-bench-raw-").FullName;

    public RawStarts()
    {
        File.WriteAllText(Path.Combine(_folder, "main.py"), Workload.PythonHello);
        File.WriteAllText(Path.Combine(_folder, "main.js"), Workload.NodeHello);
        File.WriteAllText(Path.Combine(_folder, Snippet.NumpyPandas.FileName), Workload.NumpyPandas);
    }

    public static string[] Command(Snippet program) => program.Language == "python"
        ? ["/usr/bin/python3", "-E", "-s", "-u", program.FileName]
        : ["/usr/bin/node", "--max-old-space-size=192", program.FileName];

    public Task<double> OnceAsync(string language) => OnceAsync(Snippet.Hello(language));

    /// <summary>One cold start running <paramref name="program"/>, in milliseconds.</summary>
    public async Task<double> OnceAsync(Snippet program)
    {
        var command = Command(program);
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        foreach (var arg in command[1..])
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return stdout == program.Expected
            ? elapsed
            : throw new InvalidOperationException($"raw {program.Language} printed '{stdout}' (exit {process.ExitCode})");
    }

    /// <summary>CPU milliseconds of one raw start, from the last <see cref="RateAsync"/> (its children's CPU time).</summary>
    public double LastCpuPerStart { get; private set; }

    /// <summary>Starts per second with <paramref name="parallel"/> starts always in flight, over <paramref name="total"/> starts.</summary>
    public async Task<double> RateAsync(string language, int parallel, int total)
    {
        var next = 0;
        var cpuBefore = ChildrenCpuMs();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= total)
            {
                await OnceAsync(language);
            }
        }));
        var rate = total / clock.Elapsed.TotalSeconds;
        LastCpuPerStart = (ChildrenCpuMs() - cpuBefore) / total;
        return rate;
    }

    private static double ChildrenCpuMs()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(f[13], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(f[14], System.Globalization.CultureInfo.InvariantCulture)) * 10.0;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
