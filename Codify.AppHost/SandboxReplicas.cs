using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Codify.AppHost;

/// <summary>
/// How many Sandbox processes the AppHost runs: <c>SANDBOX_REPLICAS</c>, default 2, so a worker that dies leaves one that
/// takes over its jobs (the orchestrator does not restart a dead process). Each replica is its own process: its own
/// consumer name in the job stream and its own cgroup folder.
/// </summary>
internal static class SandboxReplicas
{
    public const string SettingName = "SANDBOX_REPLICAS";
    public const int Default = 2;

    public static int From(IConfiguration configuration)
    {
        if (configuration[SettingName] is not { Length: > 0 } text)
        {
            return Default;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 64
            ? count
            : throw new InvalidOperationException($"{SettingName} must be a whole number from 1 to 64; it is '{text}'.");
    }
}
