using Codify.Contracts;
using Codify.Sandbox.Capture;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// What starts a session's kernel inside the sandbox: the interpreter with the same flags as a run, and the kernel file
/// (Kernels/kernel.py, kernel.js) bound read-only at /.codify. Node gets a small shell in front that sets up its fds.
/// </summary>
internal static class KernelCommand
{
    public const string KernelDir = BubblewrapCommand.LauncherDir;

    // Node cannot dup2: the shell makes fd 3/4 the host's request/answer pipes, fd 1/2 the write ends of two FIFOs whose
    // read ends (opened read-write, so never at EOF) stay as fd 5/6 for the kernel, and removes the FIFOs' folder.
    private const string NodeShell = """
        d=/tmp/.codify-kernel
        mkdir -m 700 "$d" && mkfifo "$d/o" "$d/e" || exit 125
        exec 5<>"$d/o" 6<>"$d/e" 3<&0 4>&1 0</dev/null 1>"$d/o" 2>"$d/e"
        rm -rf "$d"
        exec "$@"
        """;

    private static readonly Lazy<string> Python = new(() => Read("kernel.py"));
    private static readonly Lazy<string> Node = new(() => Read("kernel.js"));

    /// <summary>The python kernel's own modules, loaded by path from the kernel folder (never on the program's sys.path).</summary>
    private static readonly Lazy<IReadOnlyList<(string Name, string Content, string SandboxPath)>> PythonModules =
        new(() => Modules("codify_kernel_files.py", "codify_kernel_stdio.py"));

    private static readonly Lazy<IReadOnlyList<(string Name, string Content, string SandboxPath)>> NodeModules =
        new(() => Modules("codify_kernel_files.js"));

    public static IReadOnlyList<string> Command(IsolationOptions options, LanguageInfo language, ExecutionLimits limits)
    {
        var file = $"{KernelDir}/{FileName(language)}";
        var interpreter = BubblewrapCommand.InterpreterCommand(options, language, limits, file);
        return language.Name == "javascript" ? ["/bin/sh", "-c", NodeShell, "codify-kernel", .. interpreter] : interpreter;
    }

    /// <summary>
    /// The kernel file to bind read-only (name in the run folder, content, path inside); each kernel also gets its own
    /// modules (file operations; python's stdio), and python's the capture module (figures and notebook values, as a
    /// one-shot run's). Node cells return their last value only.
    /// </summary>
    public static IReadOnlyList<(string Name, string Content, string SandboxPath)> Files(LanguageInfo language) =>
        language.Name == "javascript"
            ? [(FileName(language), Node.Value, $"{KernelDir}/{FileName(language)}"), .. NodeModules.Value]
            :
            [
                (FileName(language), Python.Value, $"{KernelDir}/{FileName(language)}"),
                .. PythonModules.Value,
                .. CaptureFiles.ReadOnly(language, ""),
            ];

    private static IReadOnlyList<(string Name, string Content, string SandboxPath)> Modules(params string[] names) =>
        [.. names.Select(name => (name, Read(name), $"{KernelDir}/{name}"))];

    private static string FileName(LanguageInfo language) => language.Name == "javascript" ? "kernel.js" : "kernel.py";

    private static string Read(string name)
    {
        using var stream = typeof(KernelCommand).Assembly.GetManifestResourceStream($"Codify.Sandbox.Sessions.{name}")
            ?? throw new InvalidOperationException($"kernel resource {name} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
