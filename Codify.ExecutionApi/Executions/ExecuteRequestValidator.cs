using System.Text;
using Codify.Contracts;

namespace Codify.ExecutionApi.Executions;

/// <summary>Checks a request against the server's limits; every error names the field and the limit.</summary>
public static class ExecuteRequestValidator
{
    public const double MinTimeoutSeconds = 0.1;

    public static ExecutionSpec? Validate(ExecuteRequest request, ExecutionOptions options, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var language = Languages.Find(request.Language);
        if (string.IsNullOrWhiteSpace(request.Language))
        {
            errors["language"] = [$"language is required: one of {Supported()}"];
        }
        else if (language is null)
        {
            errors["language"] = [$"unsupported language '{request.Language}': one of {Supported()}"];
        }

        if (string.IsNullOrEmpty(request.Code))
        {
            errors["code"] = ["code is required and must not be empty"];
        }
        else if (Encoding.UTF8.GetByteCount(request.Code) > options.CodeSizeLimit)
        {
            errors["code"] = [$"code is larger than the limit of {options.CodeSizeLimit} bytes (CODE_SIZE_LIMIT)"];
        }

        if (request.Stdin is { } stdin && Encoding.UTF8.GetByteCount(stdin) > options.StdinSizeLimit)
        {
            errors["stdin"] = [$"stdin is larger than the limit of {options.StdinSizeLimit} bytes"];
        }

        var timeout = request.Timeout ?? options.DefaultTimeout;
        if (!double.IsFinite(timeout) || timeout < MinTimeoutSeconds || timeout > options.ExecutionTimeoutMax)
        {
            errors["timeout"] = [$"timeout must be between {MinTimeoutSeconds} and {options.ExecutionTimeoutMax} seconds (EXECUTION_TIMEOUT_MAX)"];
        }

        if (errors.Count > 0 || language is null || request.Code is null)
        {
            return null;
        }

        var wallMs = (int)Math.Round(timeout * 1000);
        var limits = new ExecutionLimits(
            WallTimeMs: wallMs,
            CpuTimeMs: wallMs,
            MemoryBytes: 256L * 1024 * 1024,
            Processes: 64,
            OutputBytes: options.OutputLimitBytes,
            FileSizeBytes: 16L * 1024 * 1024);
        return new ExecutionSpec(language.Name, request.Code, request.Stdin, limits);
    }

    private static string Supported() =>
        string.Join(", ", Languages.All.Select(l => $"{l.Name} ({string.Join(", ", l.Aliases)})"));
}
