using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Seccomp;
using Codify.Sandbox.Workspace;

namespace Codify.Tests.Sandbox.Seccomp;

/// <summary>
/// Runs programs through real bubblewrap exactly as BubblewrapCommand builds it, with or without
/// <c>--seccomp 3</c>, launched as the Sandbox's launch wrapper does (minus its cgroup joins and rlimits): a /bin/sh
/// wrapper that opens the BPF file fresh as fd 3 and execs setpriv, from an empty environment.
/// </summary>
public sealed class SeccompSandbox : IDisposable
{
    private const string Passwd = "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/box:/usr/sbin/nologin\n";

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"codify-seccomp-runs-{Guid.NewGuid():N}");

    public SeccompSandbox()
    {
        Options = new IsolationOptions { RunRoot = Path.Combine(_root, "runs") };
        Filter = SeccompFilter.Build(_root);
    }

    public IsolationOptions Options { get; }

    public SeccompFilter Filter { get; }

    public sealed record Run(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
    }

    /// <summary>bwrap's argv from BubblewrapCommand, with <c>--seccomp 3</c> inserted before the final "--".</summary>
    public IReadOnlyList<string> Argv(LanguageInfo language, string program, string passwd, bool seccomp)
    {
        // Build() starts with setpriv itself (the wrapper below names it too) and passes --seccomp 3.
        var argv = BubblewrapCommand.Build(Options, Options.RunAsUid, language, [(program, language.FileName)], passwd, SandboxRunnerFixture.Limits()).Skip(1).ToList();
        if (!seccomp)
        {
            argv.RemoveRange(argv.IndexOf("--seccomp"), 2);
        }

        return argv;
    }

    public async Task<Run> RunAsync(LanguageInfo language, string code, bool seccomp = true)
    {
        using var folder = RunFolder.Create(Options.RunRoot, "seccomp");
        var program = folder.WriteFile(language.FileName, code);
        var passwd = folder.WriteFile("passwd", Passwd);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        // The wrapper opens the filter fresh for this run only; without --seccomp, fd 3 is opened but unused,
        // so a run with and one without differ by the filter alone.
        foreach (var arg in (string[])["-c", "exec 3< \"$0\"; exec \"$@\"", Filter.BpfPath, Options.SetprivPath])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in Argv(language, program, passwd, seccomp))
        {
            start.ArgumentList.Add(arg);
        }

        // bwrap --die-with-parent uses PR_SET_PDEATHSIG, which fires when the *thread* that forked it exits: a
        // thread-pool thread retiring mid-run would SIGKILL the sandbox (exit 137). Fork from a thread that waits for the end.
        var result = new TaskCompletionSource<Run>(TaskCreationOptions.RunContinuationsAsynchronously);
        var launcher = new Thread(() =>
        {
            try
            {
                result.SetResult(RunToEnd(start));
            }
            catch (Exception e)
            {
                // Surface any failure in the awaiting test instead of crashing the test host from this thread.
                result.SetException(e);
            }
        })
        { IsBackground = true };
        launcher.Start();
        return await result.Task;
    }

    private static Run RunToEnd(ProcessStartInfo start)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"sandbox still running after 60 s: {stdout.Result}");
        }

        var elapsed = clock.Elapsed;
        return new Run(process.ExitCode, stdout.Result, stderr.Result, elapsed);
    }

    public void Dispose()
    {
        Filter.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
