using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Admission;

/// <summary>
/// The "ApiKey" authentication scheme: a key in <c>X-API-Key</c> or <c>Authorization: Bearer</c> that equals a configured one
/// authenticates the request as that key. Which endpoints need it is endpoint metadata: when keys are configured the
/// fallback policy requires an authenticated caller, and health endpoints are marked <c>AllowAnonymous</c>.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeys keys,
    AdmissionMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The claim naming which configured key authenticated the caller (a non-secret id): its rate-limit partition.</summary>
    public const string KeyIdClaim = "codify:api_key_id";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ApiKeys.Presented(Request);
        if (!keys.Required || presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // An unmatched key authenticates nobody: with keys off or wrong, inventing keys must not buy fresh budgets.
        if (keys.Match(presented) is not { } keyId)
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key"));
        }

        var identity = new ClaimsIdentity([new Claim(KeyIdClaim, keyId)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        metrics.Rejected("unauthorized");
        Response.Headers.WWWAuthenticate = "Bearer";
        return AdmissionProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            ApiKeys.Presented(Request) is null ? "API key required" : "Invalid API key",
            $"Send a valid API key in the {ApiKeys.Header} header (or as Authorization: Bearer <key>).");
    }
}
