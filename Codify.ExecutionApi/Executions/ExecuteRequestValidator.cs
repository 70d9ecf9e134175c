using System.Text;
using Codify.Contracts;
using Codify.ExecutionApi.Limits;

namespace Codify.ExecutionApi.Executions;

/// <summary>Checks a request against the server's limits; every error names the field and the limit.</summary>
public static class ExecuteRequestValidator
{
    public static ExecutionSpec? Validate(ExecuteRequest request, ExecutionOptions options, LimitOptions limitOptions, out Dictionary<string, string[]> errors)
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

        var code = ProgramValidator.Validate(request.Code, request.Files, request.Args, options, errors);

        if (request.Stdin is { } stdin && Encoding.UTF8.GetByteCount(stdin) > options.StdinSizeLimit)
        {
            errors["stdin"] = [$"stdin is larger than the limit of {options.StdinSizeLimit} bytes"];
        }

        if (request.ExpectedOutput is { } expected && Encoding.UTF8.GetByteCount(expected) > options.StdinSizeLimit)
        {
            errors["expectedOutput"] = [$"expectedOutput is larger than the limit of {options.StdinSizeLimit} bytes"];
        }

        var limits = LimitsValidator.Resolve(request.Timeout, request.Limits, options.DefaultTimeout, options.ExecutionTimeoutMax, limitOptions, errors);
        if (errors.Count > 0 || language is null || code is null || limits is null)
        {
            return null;
        }

        return new ExecutionSpec(language.Name, code, request.Stdin, limits, request.ExpectedOutput,
            request.Files is { Count: > 0 } files ? files : null, request.Args is { Count: > 0 } args ? args : null, request.Interactive,
            request.Outputs, request.ReturnFiles);
    }

    private static string Supported() =>
        string.Join(", ", Languages.All.Select(l => $"{l.Name} ({string.Join(", ", l.Aliases)})"));
}
