using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Admission;

/// <summary>What stands between a client and the endpoints: CORS, API keys, body size, rate limit, queue cap.</summary>
public static class AdmissionServiceExtensions
{
    /// <summary>Headers a browser client may read from our answers.</summary>
    private static readonly string[] ExposedHeaders =
        ["Location", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"];

    public static IHostApplicationBuilder AddAdmission(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .Configure<IConfiguration>((options, config) =>
            {
                options.Points = SeedVariables.ReadInt(config, RateLimitOptions.PointsVariable, options.Points);
                options.DurationSeconds = SeedVariables.ReadInt(config, RateLimitOptions.DurationVariable, options.DurationSeconds);
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitOptions>>(sp => new SeedVariables.WholeNumbers<RateLimitOptions>(
            sp.GetRequiredService<IConfiguration>(), RateLimitOptions.PointsVariable, RateLimitOptions.DurationVariable));

        services.AddOptions<AdmissionOptions>()
            .BindConfiguration(AdmissionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<ApiKeyOptions>()
            .Configure<IConfiguration>((options, config) => options.Keys = ApiKeyOptions.Read(config))
            .Validate(o => o.Keys.All(k => k.Length >= ApiKeyOptions.MinLength),
                $"every API key (ApiKeys, API_KEYS) must have at least {ApiKeyOptions.MinLength} characters")
            .ValidateOnStart();

        services.AddOptions<FrontendOptions>()
            .Configure<IConfiguration>((options, config) =>
                options.Url = config[FrontendOptions.Variable] is { Length: > 0 } url ? url : FrontendOptions.DefaultUrl)
            .Validate(o => o.Origins() is { Count: > 0 } origins && origins.All(x => x is not null),
                "FRONTEND_URL must be an absolute http(s) URL (several: comma-separated)")
            .ValidateOnStart();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<FrontendOptions>>((cors, frontend) =>
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. frontend.Value.Origins().OfType<string>()])
                .AllowAnyHeader()
                .AllowAnyMethod()
                .WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        // A chunked body stopped by Kestrel's cap becomes an empty 413; its problem should name the limit like ours.
        services.Configure<ProblemDetailsOptions>(problems =>
        {
            var previous = problems.CustomizeProblemDetails;
            problems.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge && context.ProblemDetails.Detail is null)
                {
                    var max = context.HttpContext.RequestServices.GetRequiredService<IOptions<AdmissionOptions>>().Value.MaxRequestBodyBytes;
                    context.ProblemDetails.Detail = BodySizeMiddleware.Detail(max);
                }
            };
        });

        services.AddSingleton<ApiKeys>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        // With keys configured, every endpoint not marked AllowAnonymous needs one; without, the API is open.
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<ApiKeys>((authorization, keys) =>
            authorization.FallbackPolicy = keys.Required
                ? new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser().Build()
                : null);
        services.AddSingleton<RedisRateLimiter>();
        services.AddSingleton<QueueGauge>();
        services.AddSingleton<AdmissionMetrics>();
        return builder;
    }

    /// <summary>CORS first (a preflight carries no key), then keys and body size; the execution budget is the intake's first step.</summary>
    public static WebApplication UseAdmission(this WebApplication app)
    {
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<BodySizeMiddleware>();
        return app;
    }
}
