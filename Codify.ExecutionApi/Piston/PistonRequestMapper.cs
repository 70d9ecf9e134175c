using System.Globalization;
using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Limits;

namespace Codify.ExecutionApi.Piston;

/// <summary>
/// Turns a Piston request into Codify's <see cref="ExecuteRequest"/>: ms → seconds, -1 (or 0, as Piston treats it)
/// → the server default, files decoded and given default names. Errors are keyed by Piston's field names.
/// </summary>
public static class PistonRequestMapper
{
    /// <summary>The names <see cref="ExecuteRequestValidator"/> reports, as a Piston client knows them.</summary>
    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["code"] = "files",
        ["timeout"] = "run_timeout",
        ["limits.wall"] = "run_timeout",
        ["limits.cpu"] = "run_cpu_time",
        ["limits.memory"] = "run_memory_limit",
    };

    public static ExecuteRequest? Map(PistonExecuteRequest request, ExecutionOptions options, LimitOptions limits, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(request.Language))
        {
            errors["language"] = ["language is required as a string"];
        }

        var files = PistonFileMapper.Map(request.Files, Languages.Find(request.Language), errors);
        var wallMs = Limit("run_timeout", request.RunTimeout, options.ExecutionTimeoutMax * 1000.0, "ms (EXECUTION_TIMEOUT_MAX)", errors);
        var cpuMs = Limit("run_cpu_time", request.RunCpuTime, limits.MaxCpuSeconds * 1000, "ms (Limits:MaxCpuSeconds)", errors);
        var memory = Limit("run_memory_limit", request.RunMemoryLimit, limits.MaxMemoryBytes, "bytes (Limits:MaxMemoryBytes)", errors);
        if (errors.Count > 0)
        {
            return null;
        }

        return new ExecuteRequest
        {
            Language = request.Language,
            Version = request.Version ?? "*", // Piston's reply names the installed version: always resolve it
            Files = files,
            Args = request.Args,
            Stdin = request.Stdin,
            Timeout = wallMs / 1000,
            Limits = cpuMs is null && memory is null ? null : new RequestedLimits { Cpu = cpuMs / 1000, Memory = (long?)memory },
        };
    }

    /// <summary>Renames the validator's fields to Piston's (<c>timeout</c> → <c>run_timeout</c>, ...).</summary>
    public static Dictionary<string, string[]> ToPistonFields(Dictionary<string, string[]> errors) =>
        errors.ToDictionary(e => FieldNames.GetValueOrDefault(e.Key, e.Key), e => e.Value, StringComparer.Ordinal);

    /// <summary>As <see cref="ToPistonFields(Dictionary{string, string[]})"/>, a version mismatch worded as Piston words it.</summary>
    public static Dictionary<string, string[]> ToPistonFields(Dictionary<string, string[]> errors, PistonExecuteRequest request)
    {
        var renamed = ToPistonFields(errors);
        if (renamed.TryGetValue("version", out var mismatch))
        {
            renamed["version"] = [.. mismatch.Select(m => $"{request.Language}-{request.Version} runtime is unknown: {m}")];
        }

        return renamed;
    }

    /// <returns>null for "server default" (absent, -1 or 0), else the value; errors name the field and the bound.</returns>
    private static double? Limit(string field, double? value, double max, string unit, Dictionary<string, string[]> errors)
    {
        switch (value)
        {
            case null or -1 or 0:
                return null;
            case < 0:
                errors[field] = [$"{field} must be non-negative (or -1 for the server default)"];
                return null;
            case var v when v > max:
                errors[field] = [$"{field} cannot exceed the configured limit of {max.ToString(CultureInfo.InvariantCulture)} {unit}"];
                return null;
            default:
                return value;
        }
    }
}
