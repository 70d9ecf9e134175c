using Codify.ExecutionApi.Admission;
using Codify.Hosting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Health;

/// <summary>
/// The one place a Redis failure becomes an answer, for every endpoint: a 503 problem with Retry-After, never a 500.
/// The client's short timeouts (<see cref="RedisClientOptions"/>) make a paused or vanished Redis cost about a second.
/// </summary>
public sealed class RedisUnavailableHandler(IProblemDetailsService problems, IOptions<RedisClientOptions> options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        // A response already under way (an event stream) cannot change its status; the connection just ends.
        if (exception is not (RedisException or RedisTimeoutException) || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        RetryAfter.Set(httpContext.Response, RetryAfter.UnavailableSeconds);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = RedisFailure.Title,
                Detail = $"{RedisFailure.Describe(exception, TimeSpan.FromMilliseconds(options.Value.TimeoutMs))}; try again shortly.",
            },
        });
    }
}
