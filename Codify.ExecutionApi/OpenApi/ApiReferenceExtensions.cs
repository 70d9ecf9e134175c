using Scalar.AspNetCore;

namespace Codify.ExecutionApi.OpenApi;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) and the Scalar API reference page (<c>/scalar</c>). Both are served
/// in every environment: they describe only the public API, which is no secret, and clients generate code from it.
/// </summary>
public static class ApiReferenceExtensions
{
    public const string DocumentPath = "/openapi/{documentName}.json";

    public static IHostApplicationBuilder AddApiReference(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Codify code execution API";
            document.Info.Description =
                "Runs untrusted Python and JavaScript in an isolated sandbox. Native API under /api, Piston-compatible API under /api/v2.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath);
        app.MapScalarApiReference(options => options.WithTitle("Codify API reference").WithOpenApiRoutePattern(DocumentPath));
        return app;
    }
}
