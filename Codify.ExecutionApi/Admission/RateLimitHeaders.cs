using System.Globalization;

namespace Codify.ExecutionApi.Admission;

/// <summary>The draft-ietf-httpapi-ratelimit-headers fields as separate headers, plus the policy (points;w=seconds).</summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, RateLimitDecision? decision)
    {
        if (decision is null)
        {
            return;
        }

        var headers = response.Headers;
        headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Reset"] = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"{decision.Limit};w={decision.WindowSeconds}");
    }
}
