using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Codify.Sandbox.Runtimes;

/// <summary>Asks an interpreter for its version (<c>--version</c>), on the host, from an empty environment.</summary>
public static partial class InterpreterVersion
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <returns>The version it printed ("3.11.2", "20.20.2"), or null when it is missing, fails or prints none.</returns>
    public static async Task<string?> ReadAsync(string interpreterPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(interpreterPath))
        {
            return null;
        }

        var start = new ProcessStartInfo(interpreterPath)
        {
            ArgumentList = { "--version" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // Nothing of the service's environment (connection strings, NODE_OPTIONS, PYTHON*) reaches the interpreter.
        start.Environment.Clear();
        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{interpreterPath} --version did not answer within {Timeout.TotalSeconds} s");
        }

        // Python 2 printed its version on stderr; today's interpreters print it on stdout.
        return process.ExitCode == 0 ? Parse(await stdout + "\n" + await stderr) : null;
    }

    /// <summary>The first dotted version number in the text: "Python 3.11.2" → "3.11.2", "v20.20.2" → "20.20.2".</summary>
    public static string? Parse(string text) => VersionNumber().Match(text) is { Success: true } m ? m.Value : null;

    [GeneratedRegex(@"\d+(?:\.\d+)+")]
    private static partial Regex VersionNumber();
}
