using System.Text.Json;
using Codify.Contracts;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Capture;

/// <summary>
/// What a capturing sandbox is given: the capture module (read-only; python's, or node's preload), the request saying what
/// to capture and the caps (read-only; a warm sandbox's is refilled at dispatch), and the channel file it writes records to.
/// </summary>
internal static class CaptureFiles
{
    public const string ModuleFile = "codify_capture.py";
    public const string NodeModuleFile = "codify_capture.js";
    public const string NodeModulePath = BubblewrapCommand.LauncherDir + "/" + NodeModuleFile;
    public const string RequestFile = "capture.json";
    public const string ChannelFile = "capture.out";
    public const string ModulePath = BubblewrapCommand.LauncherDir + "/" + ModuleFile;
    public const string RequestPath = BubblewrapCommand.LauncherDir + "/" + RequestFile;
    public const string ChannelPath = BubblewrapCommand.LauncherDir + "/" + ChannelFile;

    /// <summary>Loads the module without putting it on sys.path (the program's imports stay as a plain run's).</summary>
    public const string LoadModule =
        "__import__('importlib.util');_u=__import__('sys').modules['importlib.util'];" +
        $"_s=_u.spec_from_file_location('codify_capture','{ModulePath}');_m=_u.module_from_spec(_s);_s.loader.exec_module(_m)";

    /// <summary>The cold runner's program (`python3 -E -s -u -c BOOT args`): the module runs the entry as __main__.</summary>
    public const string PythonBoot = LoadModule + ";_m.main()";

    private static readonly Lazy<string> PythonModule = new(() => Embedded(ModuleFile));
    private static readonly Lazy<string> NodeModule = new(() => Embedded(NodeModuleFile));

    /// <summary>The read-only files of a capturing sandbox (name in the run folder, content, path inside).</summary>
    public static IReadOnlyList<(string Name, string Content, string SandboxPath)> ReadOnly(LanguageInfo language, string request) =>
        language.Name == Languages.Python.Name
            ? [(ModuleFile, PythonModule.Value, ModulePath), (RequestFile, request, RequestPath)]
            : [(NodeModuleFile, NodeModule.Value, NodeModulePath), (RequestFile, request, RequestPath)];

    private static string Embedded(string name)
    {
        using var stream = typeof(CaptureFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the Sandbox assembly");
        return new StreamReader(stream).ReadToEnd();
    }

    public static (string Name, string SandboxPath) Channel => (ChannelFile, ChannelPath);

    /// <summary>The request for one run: what to capture, the caps, the entry file and the program's own files (not returned).</summary>
    public static string Request(ExecutionSpec spec, LanguageInfo language, CaptureOptions caps)
    {
        var files = spec.ProgramFiles(language);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["outputs"] = spec.Outputs,
            ["files"] = spec.ReturnFiles,
            ["entry"] = $"{BubblewrapCommand.WorkDir}/{files[0].Name}",
            ["skip"] = files.Select(f => f.Name).ToArray(),
            ["max_outputs"] = caps.MaxOutputs,
            ["max_output_bytes"] = caps.MaxOutputBytes,
            ["max_files"] = caps.MaxFiles,
            ["max_file_bytes"] = caps.MaxFileBytes,
        });
    }
}
