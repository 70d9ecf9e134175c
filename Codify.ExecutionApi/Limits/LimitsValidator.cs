using System.Globalization;
using Codify.Contracts;

namespace Codify.ExecutionApi.Limits;

/// <summary>Resolves the run's limits from the request, the defaults and the server maxima; errors name the field and the bound.</summary>
public static class LimitsValidator
{
    public const double MinSeconds = 0.1;

    public static ExecutionLimits? Resolve(
        double? timeout, RequestedLimits? requested, double defaultWallSeconds, int maxWallSeconds,
        LimitOptions options, Dictionary<string, string[]> errors)
    {
        if (timeout is { } t && requested?.Wall is { } w && t != w)
        {
            errors["limits.wall"] = ["limits.wall and timeout disagree: give one of them"];
        }

        var wall = Seconds("timeout", requested?.Wall ?? timeout ?? defaultWallSeconds, maxWallSeconds, "EXECUTION_TIMEOUT_MAX", errors);
        var cpu = Seconds("limits.cpu", requested?.Cpu ?? Math.Min(options.DefaultCpuSeconds, options.MaxCpuSeconds), options.MaxCpuSeconds, "Limits:MaxCpuSeconds", errors);
        var memory = Within("limits.memory", requested?.Memory ?? options.DefaultMemoryBytes, 32L << 20, options.MaxMemoryBytes, "bytes", "Limits:MaxMemoryBytes", errors);
        var processes = Within("limits.processes", requested?.Processes ?? options.DefaultProcesses, 32, options.MaxProcesses, "processes", "Limits:MaxProcesses", errors);
        var output = Within("limits.output", requested?.Output ?? options.DefaultOutputBytes, 1024, options.MaxOutputBytes, "bytes", "Limits:MaxOutputBytes", errors);
        var fileSize = Within("limits.fileSize", requested?.FileSize ?? options.DefaultFileSizeBytes, 1024, options.MaxFileSizeBytes, "bytes", "Limits:MaxFileSizeBytes", errors);
        return errors.Count > 0
            ? null
            : new ExecutionLimits(ToMs(wall), ToMs(cpu), memory, (int)processes, output, fileSize);
    }

    private static double Seconds(string field, double value, double max, string setting, Dictionary<string, string[]> errors)
    {
        if (!double.IsFinite(value) || value < MinSeconds || value > max)
        {
            errors[field] = [$"{field} must be between {MinSeconds} and {max.ToString(CultureInfo.InvariantCulture)} seconds ({setting})"];
        }

        return value;
    }

    private static long Within(string field, long value, long min, long max, string unit, string setting, Dictionary<string, string[]> errors)
    {
        if (value < min || value > max)
        {
            errors[field] = [$"{field} must be between {min} and {max} {unit} ({setting})"];
        }

        return value;
    }

    private static int ToMs(double seconds) => (int)Math.Round(seconds * 1000);
}
