namespace Codify.ExecutionApi.BadRequests;

public static class BadRequestServiceExtensions
{
    public static IServiceCollection AddBadRequestProblems(this IServiceCollection services)
    {
        // Binding failures throw (in every environment, not only Development) so that BadRequestProblems answers them.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestProblems>();

        // A non-JSON body is refused by routing (a 415 before any handler runs): its problem names the header too.
        services.Configure<ProblemDetailsOptions>(options =>
        {
            var earlier = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                earlier?.Invoke(context);
                if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && !context.ProblemDetails.Extensions.ContainsKey("errors"))
                {
                    context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { ["Content-Type"] = ["expected application/json"] };
                    context.ProblemDetails.Detail ??= "Content-Type: expected application/json";
                }
            };
        });
        return services;
    }
}
