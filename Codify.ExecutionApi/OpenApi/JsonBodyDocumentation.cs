using Microsoft.OpenApi;

namespace Codify.ExecutionApi.OpenApi;

public static class JsonBodyDocumentation
{
    /// <summary>
    /// Documents a JSON request body that the handler reads itself. <c>Accepts&lt;T&gt;()</c> would also make routing
    /// answer a bare 415 for other content types, before the handler can answer in its own (Piston's) error shape.
    /// </summary>
    public static TBuilder DescribesJsonBody<TBuilder, TBody>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TBody), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
