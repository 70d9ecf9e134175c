using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Codify.Contracts;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Isolation;

/// <summary>Runs one program in a fresh bubblewrap sandbox as an unprivileged uid, under the run's wall clock and output budget.</summary>
public sealed partial class BubblewrapRunner(
    IOptions<IsolationOptions> options,
    IsolationState isolation,
    ILogger<BubblewrapRunner> logger) : ISandboxRunner
{
    /// <summary>How long to wait for the pipes to drain after the sandbox is gone: a stray holder must not hang the run.</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    private const string SyntheticPasswd = "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/box:/usr/sbin/nologin\n";

    public async Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, CancellationToken cancellationToken)
    {
        if (!isolation.IsReady)
        {
            return ExecutionResult.InternalError($"sandbox cannot isolate: {isolation.Reason}");
        }

        return await RunIsolatedAsync(executionId, spec, cancellationToken);
    }

    /// <summary>The run itself, without the readiness gate: used by the probe that decides readiness.</summary>
    internal async Task<ExecutionResult> RunIsolatedAsync(string executionId, ExecutionSpec spec, CancellationToken cancellationToken)
    {
        if (Languages.Find(spec.Language) is not { } language)
        {
            return ExecutionResult.InternalError($"unsupported language '{spec.Language}'");
        }

        using var folder = RunFolder.Create(options.Value.RunRoot, executionId);
        var program = folder.WriteFile(language.FileName, spec.Code);
        var passwd = folder.WriteFile("passwd", SyntheticPasswd);
        var start = new ProcessStartInfo(options.Value.SetprivPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Nothing of the Sandbox service's environment reaches bwrap, whose pid 1 would expose it in /proc/1/environ.
        start.Environment.Clear();
        foreach (var arg in BubblewrapCommand.Build(options.Value, language, program, passwd))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            isolation.MarkBroken($"cannot start {start.FileName}: {e.Message}");
            return ExecutionResult.InternalError($"sandbox could not start: {e.Message}");
        }

        return await SuperviseAsync(process, spec, cancellationToken);
    }

    private async Task<ExecutionResult> SuperviseAsync(Process process, ExecutionSpec spec, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var output = new OutputCapture(spec.Limits.OutputBytes);
        using var wall = new CancellationTokenSource(spec.Limits.WallTimeMs);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(wall.Token, cancellationToken);
        output.BudgetExceeded += () => stop.Cancel();

        var pumps = Task.WhenAll(
            output.PumpStdoutAsync(process.StandardOutput.BaseStream, CancellationToken.None),
            output.PumpStderrAsync(process.StandardError.BaseStream, CancellationToken.None),
            FeedStdinAsync(process, spec.Stdin));

        try
        {
            await process.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        var elapsed = clock.ElapsedMilliseconds;
        if (await Task.WhenAny(pumps, Task.Delay(DrainGrace, CancellationToken.None)) != pumps)
        {
            LogPipesHeld(logger, process.Id);
        }

        var run = new RunObservation
        {
            ExitCode = process.ExitCode,
            WallTimeMs = elapsed,
            WallExpired = wall.IsCancellationRequested && !output.Exceeded,
            Cancelled = cancellationToken.IsCancellationRequested,
        };
        return Verdict.From(run, output);
    }

    private static async Task FeedStdinAsync(Process process, string? stdin)
    {
        try
        {
            if (!string.IsNullOrEmpty(stdin))
            {
                await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(stdin));
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited (or closed stdin) before reading all of its input: not an error of ours.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            // bwrap is the pid namespace's parent: killing the tree ends every process of the run.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox {Pid} exited but its output pipes stayed open; abandoned them")]
    private static partial void LogPipesHeld(ILogger logger, int pid);
}
