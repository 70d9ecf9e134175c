using Codify.Contracts;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Capture;

/// <summary>How a capturing run's sandbox differs from a plain one, for the cold runner and the warm pool alike.</summary>
internal static class CapturingLaunch
{
    /// <summary>Python sandboxes capture through the module; node returns no rich outputs (an empty list).</summary>
    public static bool Serves(LanguageInfo language) => language.Name == Languages.Python.Name;

    /// <summary>
    /// A cold capturing run: python runs the module's boot instead of the entry file (the module runs the entry as
    /// __main__, as the plain command would), with the module, the request and the channel bound.
    /// </summary>
    public static SandboxLaunch Cold(SandboxLaunch launch, ExecutionSpec spec, LanguageInfo language, IsolationOptions isolation, CaptureOptions caps)
    {
        if (!spec.Captures || !Serves(language))
        {
            return launch;
        }

        var interpreter = BubblewrapCommand.InterpreterCommand(isolation, language, spec.Limits, language.FileName)[..^1];
        return launch with
        {
            Command = [.. interpreter, "-c", CaptureFiles.PythonBoot, .. spec.Args ?? []],
            ExtraFiles = [.. launch.ExtraFiles ?? [], .. CaptureFiles.ReadOnly(CaptureFiles.Request(spec, language, caps))],
            Channel = CaptureFiles.Channel,
        };
    }

    /// <summary>A warm python sandbox gets the module, an empty request (refilled at dispatch when the run captures) and the channel.</summary>
    public static SandboxLaunch Warm(SandboxLaunch launch, LanguageInfo language) => !Serves(language) ? launch : launch with
    {
        ExtraFiles = [.. launch.ExtraFiles ?? [], .. CaptureFiles.ReadOnly("")],
        Channel = CaptureFiles.Channel,
    };
}
