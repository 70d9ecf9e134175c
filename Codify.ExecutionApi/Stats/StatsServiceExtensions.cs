namespace Codify.ExecutionApi.Stats;

public static class StatsServiceExtensions
{
    /// <summary>The reader behind <c>GET /api/stats</c> (the writer is the terminal transition's Lua, see ExecutionStatsScript).</summary>
    public static IServiceCollection AddExecutionStats(this IServiceCollection services) =>
        services.AddSingleton<ExecutionStatsReader>();
}
