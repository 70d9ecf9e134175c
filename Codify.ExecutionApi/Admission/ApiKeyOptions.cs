namespace Codify.ExecutionApi.Admission;

/// <summary>
/// Optional API keys: section "ApiKeys" as a list (ApiKeys__0, ApiKeys__1, …) and/or API_KEYS, comma-separated.
/// With none configured the API is open; with any, every request but the health endpoints needs one.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "ApiKeys";
    public const string Variable = "API_KEYS";
    public const int MinLength = 16;

    public IReadOnlyList<string> Keys { get; set; } = [];

    /// <summary>Both sources together, without surrounding blanks; empty entries (a trailing comma) dropped.</summary>
    public static IReadOnlyList<string> Read(IConfiguration configuration) =>
    [
        .. (configuration.GetSection(Section).Get<string[]>() ?? [])
            .Concat((configuration[Variable] ?? "").Split(','))
            .Select(k => k.Trim())
            .Where(k => k.Length > 0)
            .Distinct(StringComparer.Ordinal),
    ];
}
