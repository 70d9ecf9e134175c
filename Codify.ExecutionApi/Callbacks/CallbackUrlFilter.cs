using Codify.ExecutionApi.Executions;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>Refuses an execute request whose callbackUrl may not be called back, before anything is queued.</summary>
public sealed class CallbackUrlFilter(CallbackUrlValidator validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.Arguments.OfType<ExecuteRequest>().FirstOrDefault() is { CallbackUrl: { } url }
            && await validator.ValidateAsync(url, context.HttpContext.RequestAborted) is { } error)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [CallbackUrlValidator.Field] = [error] },
                title: "The execution request is invalid.");
        }

        return await next(context);
    }
}
