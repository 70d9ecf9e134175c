using StackExchange.Redis;

namespace Codify.ExecutionApi.Health;

/// <summary>A short reason for a failed Redis read: the client's own messages run to kilobytes of connection diagnostics.</summary>
public static class RedisFailure
{
    /// <summary>The title of every answer Redis being down causes, whichever path caught it.</summary>
    public const string Title = "Redis unavailable";

    private const int MaxLength = 160;

    public static string Describe(Exception exception, TimeSpan bound) => exception switch
    {
        RedisConnectionException c => $"no connection to Redis ({c.FailureType})",
        TimeoutException => $"Redis did not answer within {bound.TotalMilliseconds:0} ms",
        _ => Shorten(exception.Message),
    };

    private static string Shorten(string message)
    {
        var first = message.Split(" - ", 2)[0];
        return first.Length <= MaxLength ? first : first[..MaxLength] + "…";
    }
}
