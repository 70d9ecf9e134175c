namespace Codify.ExecutionApi.Admission;

/// <summary>Browser origins allowed by CORS: FRONTEND_URL (comma-separated for several), default http://localhost:3000.</summary>
public sealed class FrontendOptions
{
    public const string Variable = "FRONTEND_URL";
    public const string DefaultUrl = "http://localhost:3000";

    public string Url { get; set; } = DefaultUrl;

    /// <summary>Each URL reduced to its origin (scheme://host[:port]), or null for one that is not an absolute http(s) URL.</summary>
    public IReadOnlyList<string?> Origins() =>
        [.. Url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ToOrigin)];

    private static string? ToOrigin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
