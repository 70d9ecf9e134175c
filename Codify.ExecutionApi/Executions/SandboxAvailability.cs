using Codify.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Executions;

/// <summary>Whether any Sandbox replica that can isolate has sent a heartbeat recently.</summary>
public sealed class SandboxAvailability(IConnectionMultiplexer redis, IOptions<ExecutionOptions> options, TimeProvider time)
{
    public const string Title = "No sandbox available";

    public const string Detail = "No sandbox that can isolate programs is available; nothing was queued. Retry later.";

    /// <summary>The 503 every execution-creating endpoint answers when <see cref="AnyHealthyAsync"/> is false.</summary>
    public static ProblemHttpResult Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(Detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: Title);
    }

    public async Task<bool> AnyHealthyAsync()
    {
        var freshSince = time.GetUtcNow().AddSeconds(-options.Value.SandboxHeartbeatTimeoutSeconds).ToUnixTimeMilliseconds();
        return await redis.GetDatabase().SortedSetLengthAsync(RedisKeys.HealthySandboxes, min: freshSince) > 0;
    }
}
