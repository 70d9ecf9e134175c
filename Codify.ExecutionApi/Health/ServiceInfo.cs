using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Codify.ExecutionApi.Health;

/// <summary>This API process: its version, the .NET it runs on and when it started.</summary>
public static class ServiceInfo
{
    public static string Version { get; } =
        typeof(ServiceInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ServiceInfo).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static string Runtime { get; } = RuntimeInformation.FrameworkDescription;

    public static DateTimeOffset StartedAt { get; } = ProcessStart();

    public static double UptimeSeconds(DateTimeOffset now) => Math.Round((now - StartedAt).TotalSeconds, 1);

    private static DateTimeOffset ProcessStart()
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }
}
