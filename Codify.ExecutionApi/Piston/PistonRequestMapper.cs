using System.Globalization;
using System.Text;
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
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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

        var files = MapFiles(request.Files, Languages.Find(request.Language), errors);
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

    private static List<SourceFile>? MapFiles(IReadOnlyList<PistonFile?>? files, LanguageInfo? language, Dictionary<string, string[]> errors)
    {
        if (files is null)
        {
            errors["files"] = ["files is required as an array"];
            return null;
        }

        if (files.Count == 0)
        {
            errors["files"] = ["files must contain at least one file (the first is the entry point)"];
            return null;
        }

        var taken = files.Select(f => f?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var mapped = new List<SourceFile>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            if (files[i] is not { } file)
            {
                errors[$"files[{i}]"] = [$"files[{i}] must be an object with a content string"];
                continue;
            }

            if (Decode(file, i, errors) is not { } content)
            {
                continue;
            }

            mapped.Add(new SourceFile(string.IsNullOrEmpty(file.Name) ? DefaultName(i, language, taken) : file.Name, content));
        }

        return errors.Count > 0 ? null : mapped;
    }

    private static string? Decode(PistonFile file, int index, Dictionary<string, string[]> errors)
    {
        if (file.Content is null)
        {
            errors[$"files[{index}].content"] = [$"files[{index}].content is required as a string"];
            return null;
        }

        try
        {
            return file.Encoding?.ToLowerInvariant() switch
            {
                null or "utf8" or "utf-8" => file.Content,
                "base64" => StrictUtf8.GetString(Convert.FromBase64String(file.Content)),
                "hex" => StrictUtf8.GetString(Convert.FromHexString(file.Content)),
                _ => Fail(errors, $"files[{index}].encoding", $"files[{index}].encoding must be one of utf8, base64, hex"),
            };
        }
        catch (FormatException)
        {
            return Fail(errors, $"files[{index}].content", $"files[{index}].content is not valid {file.Encoding}");
        }
        catch (DecoderFallbackException)
        {
            return Fail(errors, $"files[{index}].content", $"files[{index}].content must decode to UTF-8 text (binary files are not supported)");
        }
    }

    /// <summary>The entry point becomes main.py / main.js, any other file file{i}.py / file{i}.js, unless a given name already has it.</summary>
    private static string DefaultName(int index, LanguageInfo? language, HashSet<string> taken)
    {
        var extension = language?.Extension ?? ".code";
        var name = index == 0 && language is not null && !taken.Contains(language.FileName) ? language.FileName : $"file{index}{extension}";
        taken.Add(name);
        return name;
    }

    private static string? Fail(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return null;
    }
}
