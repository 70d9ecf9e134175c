using System.Text.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.Sandbox.Sessions;
using Codify.Sandbox.Supervision;
using StackExchange.Redis;

namespace Codify.Tests.Sandbox.Hostile.Sessions;

/// <summary>
/// Sessions driven as the Sandbox drives them (the real <see cref="SessionHost"/>, its Redis records), without the API: a
/// session is recorded as the API records it, started, given cells, ended. As an <see cref="ISandboxRunner"/> each run is
/// one cell of a fresh session that ends right after it, so the hostile suite runs through sessions unchanged.
/// </summary>
internal sealed class HostileSessions(SessionHost host, IConnectionMultiplexer redis) : ISandboxRunner
{
    /// <summary>Starts a session named after <paramref name="marker"/> (its cgroup and run folder carry it); its id.</summary>
    public async Task<string> StartAsync(string marker, string language, ExecutionLimits limits)
    {
        var id = $"{marker}-{Guid.NewGuid():N}"[..Math.Min(marker.Length + 13, 90)];
        var now = DateTimeOffset.UtcNow;
        await redis.GetDatabase().HashSetAsync(RedisKeys.Session(id),
        [
            new(SessionFields.Status, SessionStatus.Starting.ToWire()),
            new(SessionFields.Language, language),
            new(SessionFields.Limits, JsonSerializer.Serialize(limits, CodifyJson.Options)),
            new(SessionFields.IdleTimeoutSeconds, 600),
            new(SessionFields.ExpiresAt, now.AddHours(1).ToString("O")),
            new(SessionFields.CreatedAt, now.ToString("O")),
        ]);
        var reply = await host.StartAsync(id);
        Assert.True(reply.Error is null, $"session {id} did not start: {reply.Error} {reply.Detail}");
        return id;
    }

    public Task<ExecutionResult> RunCellAsync(string sessionId, string code, ExecutionLimits limits, string? stdin = null,
        OutputChunkHandler? onOutput = null, CancellationToken cancellationToken = default) =>
        RunCellAsync(sessionId, $"cell-{Guid.NewGuid():N}", new ExecutionSpec(Language(sessionId), code, stdin, limits), onOutput, cancellationToken);

    public Task<ExecutionResult> RunCellAsync(string sessionId, string executionId, ExecutionSpec spec, OutputChunkHandler? onOutput,
        CancellationToken cancellationToken) =>
        host.RunCellAsync(executionId, spec with { SessionId = sessionId }, onOutput, cancellationToken);

    public KernelSession? Find(string sessionId) => host.Find(sessionId);

    /// <summary>Ends the session as a client's close does (nothing if it has ended already).</summary>
    public async Task EndAsync(string sessionId)
    {
        if (host.Find(sessionId) is { } session)
        {
            await host.EndAsync(session, SessionEndReasons.Closed);
        }
    }

    public Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, CancellationToken cancellationToken) =>
        RunAsync(executionId, spec, null, null, cancellationToken);

    public async Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, OutputChunkHandler? onOutput, IStdinFeed? stdin,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var id = await StartAsync(executionId, spec.Language, spec.Limits);
        try
        {
            return await RunCellAsync(id, executionId, spec, onOutput, cancellationToken);
        }
        finally
        {
            await EndAsync(id);
        }
    }

    private string Language(string sessionId) =>
        host.Find(sessionId)?.Plan.Language.Name ?? throw new InvalidOperationException($"session {sessionId} is not live");
}
