using Codify.ExecutionApi.Playground;

namespace Codify.ExecutionApi.Apis;

/// <summary>
/// The playground page at <c>/playground</c> and its files. Anonymous: the page holds no secret, and its API calls carry
/// the visitor's own key (X-API-Key on fetches, a subprotocol on the WebSocket), which the API checks as usual.
/// </summary>
public static class PlaygroundApi
{
    public const string Path = "/playground";

    // The page loads only its own files and talks only to this server: an injected script could not send data elsewhere.
    // CodeMirror adds its styles as <style> elements, hence 'unsafe-inline' for styles only.
    private const string ContentSecurityPolicy =
        "default-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IEndpointRouteBuilder MapPlaygroundApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (HttpContext http) => Serve(http, PlaygroundAssets.Page)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(Path + "/{file}", (HttpContext http, string file) => Serve(http, file)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string file)
    {
        if (PlaygroundAssets.Open(file) is not var (content, contentType))
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        // Small files that change with each build: revalidate rather than serve a stale bundle after an upgrade.
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Stream(content, contentType);
    }
}
