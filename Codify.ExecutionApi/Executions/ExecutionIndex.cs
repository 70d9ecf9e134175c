using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Executions;

/// <summary>Creation-time indexes of executions, trimmed to the retention window as new ones arrive.</summary>
public static class ExecutionIndex
{
    /// <summary>Adds the id to the global and the language index inside the creating transaction, and drops entries past retention.</summary>
    public static void Add(ITransaction transaction, string id, string language, DateTimeOffset createdAt, TimeSpan retention)
    {
        var score = createdAt.ToUnixTimeMilliseconds();
        var expired = (createdAt - retention).ToUnixTimeMilliseconds();
        foreach (var index in new[] { RedisKeys.ExecutionIndex, RedisKeys.ExecutionIndexFor(language) })
        {
            _ = transaction.SortedSetAddAsync(index, id, score);
            // The records themselves expire by TTL; trimming here keeps the index from outliving them.
            _ = transaction.SortedSetRemoveRangeByScoreAsync(index, double.NegativeInfinity, expired);
        }
    }
}
