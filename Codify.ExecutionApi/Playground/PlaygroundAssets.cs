namespace Codify.ExecutionApi.Playground;

/// <summary>
/// The playground page's files, embedded in this assembly at build time (Playground/client: static/ as written,
/// dist/playground.js bundled by esbuild from a lockfile), so the page works offline and needs no content root.
/// </summary>
public static class PlaygroundAssets
{
    public const string Page = "index.html";

    private const string Prefix = "Playground/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    };

    private static readonly HashSet<string> Names = [.. typeof(PlaygroundAssets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..])];

    /// <summary>The file's bytes and content type, or null when the page has no such file (only embedded names are served: no path walks).</summary>
    public static (Stream Content, string ContentType)? Open(string name)
    {
        if (!Names.Contains(name) || !ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
        {
            return null;
        }

        var stream = typeof(PlaygroundAssets).Assembly.GetManifestResourceStream(Prefix + name)!;
        return (stream, contentType);
    }
}
