using Codify.Contracts;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Capture;

/// <summary>How a capturing run's sandbox differs from a plain one, for the cold runner and the warm pool alike.</summary>
internal static class CapturingLaunch
{
    /// <summary>Whether warm sandboxes of <paramref name="language"/> carry the capture (python's); node's returned files are collected cold.</summary>
    public static bool ServesWarm(LanguageInfo language) => language.Name == Languages.Python.Name;

    /// <summary>
    /// A cold capturing run. Python runs the module's boot instead of the entry file (the module runs the entry as
    /// __main__, as the plain command would); node preloads its module when files are asked for (node returns no rich
    /// outputs). Either way with the module, the request and the channel bound.
    /// </summary>
    public static SandboxLaunch Cold(SandboxLaunch launch, ExecutionSpec spec, LanguageInfo language, IsolationOptions isolation, CaptureOptions caps)
    {
        var python = ServesWarm(language);
        if (!(python ? spec.Captures : spec.ReturnFiles))
        {
            return launch;
        }

        var plain = BubblewrapCommand.InterpreterCommand(isolation, language, spec.Limits, launch.ProgramFiles[0].Name);
        return launch with
        {
            Command = python
                ? [.. plain[..^1], "-c", CaptureFiles.PythonBoot, .. spec.Args ?? []]
                : [.. plain[..^1], "--require", CaptureFiles.NodeModulePath, plain[^1], .. spec.Args ?? []],
            ExtraFiles = [.. launch.ExtraFiles ?? [], .. CaptureFiles.ReadOnly(language, CaptureFiles.Request(spec, language, caps))],
            Channel = CaptureFiles.Channel,
        };
    }

    /// <summary>A warm python sandbox gets the module, an empty request (refilled at dispatch when the run captures) and the channel.</summary>
    public static SandboxLaunch Warm(SandboxLaunch launch, LanguageInfo language) => !ServesWarm(language) ? launch : launch with
    {
        ExtraFiles = [.. launch.ExtraFiles ?? [], .. CaptureFiles.ReadOnly(language, "")],
        Channel = CaptureFiles.Channel,
    };
}
