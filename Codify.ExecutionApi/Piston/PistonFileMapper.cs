using System.Text;
using Codify.Contracts;

namespace Codify.ExecutionApi.Piston;

/// <summary>Piston's <c>files[]</c> → Codify's: content decoded (utf8, base64, hex → UTF-8 text), missing names filled in.</summary>
public static class PistonFileMapper
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static List<SourceFile>? Map(IReadOnlyList<PistonFile?>? files, LanguageInfo? language, Dictionary<string, string[]> errors)
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
