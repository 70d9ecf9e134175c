using System.Text;
using Codify.Contracts;

namespace Codify.ExecutionApi.Executions;

/// <summary>Checks the program itself: <c>code</c> or <c>files[]</c> (never both), their names and total size, and <c>args[]</c>.</summary>
public static class ProgramValidator
{
    public const int MaxFiles = 32;
    public const int MaxArgs = 64;
    public const int MaxArgsBytes = 8 * 1024;

    /// <returns>The entry point's source, or null when the program is invalid (errors then name the field).</returns>
    public static string? Validate(string? code, IReadOnlyList<SourceFile>? files, IReadOnlyList<string>? args,
        ExecutionOptions options, Dictionary<string, string[]> errors)
    {
        ValidateArgs(args, errors);
        if (files is { Count: > 0 })
        {
            return code is null ? ValidateFiles(files, options, errors) : Fail(errors, "code", "give either code or files, not both");
        }

        if (string.IsNullOrEmpty(code))
        {
            return Fail(errors, "code", "code (or files) is required and must not be empty");
        }

        return Encoding.UTF8.GetByteCount(code) > options.CodeSizeLimit
            ? Fail(errors, "code", $"code is larger than the limit of {options.CodeSizeLimit} bytes (CODE_SIZE_LIMIT)")
            : code;
    }

    private static string? ValidateFiles(IReadOnlyList<SourceFile> files, ExecutionOptions options, Dictionary<string, string[]> errors)
    {
        if (files.Count > MaxFiles)
        {
            return Fail(errors, "files", $"at most {MaxFiles} files");
        }

        for (var i = 0; i < files.Count; i++)
        {
            if (!SourceFile.IsSafeName(files[i]?.Name))
            {
                return Fail(errors, $"files[{i}].name", "a plain file name of letters, digits, '_', '-' and '.', not starting with '.', at most 100 characters");
            }

            if (files[i].Content is null)
            {
                return Fail(errors, $"files[{i}].content", "content is required");
            }
        }

        if (files.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != files.Count)
        {
            return Fail(errors, "files", "file names must be unique");
        }

        var total = files.Sum(f => (long)Encoding.UTF8.GetByteCount(f.Content));
        return total > options.CodeSizeLimit
            ? Fail(errors, "files", $"files together are larger than the limit of {options.CodeSizeLimit} bytes (CODE_SIZE_LIMIT)")
            : files[0].Content.Length == 0 ? Fail(errors, "files[0].content", "the entry point must not be empty") : files[0].Content;
    }

    private static void ValidateArgs(IReadOnlyList<string>? args, Dictionary<string, string[]> errors)
    {
        if (args is null)
        {
            return;
        }

        if (args.Count > MaxArgs || args.Sum(a => Encoding.UTF8.GetByteCount(a ?? "")) > MaxArgsBytes)
        {
            errors["args"] = [$"at most {MaxArgs} arguments and {MaxArgsBytes} bytes in all"];
        }
        else if (args.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)))
        {
            errors["args"] = ["arguments must be strings without NUL characters"];
        }
    }

    private static string? Fail(Dictionary<string, string[]> errors, string field, string message)
    {
        errors[field] = [message];
        return null;
    }
}
