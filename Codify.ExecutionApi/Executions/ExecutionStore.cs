using System.Globalization;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Executions;

/// <summary>The API's side of execution records in Redis: create-and-enqueue, read, wait for the end.</summary>
public sealed class ExecutionStore(IConnectionMultiplexer redis, EndedFeed ended, IOptions<ExecutionOptions> options, TimeProvider time)
{
    private IDatabase Db => redis.GetDatabase();

    /// <summary>A new execution id (time-ordered).</summary>
    public static string NewId() => Guid.CreateVersion7().ToString("N");

    /// <summary>
    /// Writes the record and adds the job in one MULTI: a record is never queued without its job, nor the reverse. A session
    /// cell (<see cref="ExecutionSpec.SessionId"/>) goes to its session's <paramref name="replica"/>'s own stream instead,
    /// with the id its session's claim already holds (<paramref name="executionId"/>, from <see cref="NewId"/>).
    /// </summary>
    public async Task<ExecutionRecord> CreateAsync(ExecutionSpec spec, string? callbackUrl = null, string? replica = null, string? executionId = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (jobStream, wakeChannel) = spec.SessionId is null || replica is null
            ? (RedisKeys.JobStream, RedisKeys.JobsAvailableChannel)
            : (RedisKeys.SessionRequests(replica), RedisKeys.SessionRequestsAvailable(replica));
        var id = executionId ?? NewId();
        using var enqueue = ApiTelemetry.StartEnqueue(id, spec);
        var createdAt = time.GetUtcNow();
        var key = RedisKeys.Execution(id);
        var transaction = Db.CreateTransaction();
        _ = transaction.HashSetAsync(key,
        [
            new(ExecutionFields.Status, ExecutionStatus.Queued.ToWire()),
            new(ExecutionFields.Language, spec.Language),
            new(ExecutionFields.Spec, JsonSerializer.Serialize(spec, CodifyJson.Options)),
            new(ExecutionFields.CreatedAt, createdAt.ToString("O")),
        ]);
        if (callbackUrl is not null) // validated by Callbacks/CallbackUrlFilter; the run's end queues its delivery
        {
            _ = transaction.HashSetAsync(key, ExecutionFields.CallbackUrl, callbackUrl);
        }

        if (spec.SessionId is { } session)
        {
            _ = transaction.HashSetAsync(key, ExecutionFields.SessionId, session);
        }

        if (spec.Interactive)
        {
            _ = transaction.HashSetAsync(key, ExecutionFields.Interactive, "1");
        }

        _ = transaction.KeyExpireAsync(key, TimeSpan.FromSeconds(options.Value.RetentionSeconds));
        ExecutionIndex.Add(transaction, id, spec.Language, createdAt, TimeSpan.FromSeconds(options.Value.RetentionSeconds));
        QueuedEvent.Add(transaction, id, TimeSpan.FromSeconds(options.Value.RetentionSeconds));
        _ = transaction.StreamAddAsync(jobStream,
        [
            new(JobFields.ExecutionId, id),
            // The trace travels with the job: one trace covers request, queue wait and run.
            new(JobFields.TraceParent, ApiTelemetry.TraceParent(enqueue)),
        ]);
        _ = transaction.PublishAsync(RedisChannel.Literal(wakeChannel), id);
        if (!await transaction.ExecuteAsync())
        {
            throw new RedisException($"transaction creating execution {id} was not committed");
        }

        return ExecutionRecord.Create(id, ExecutionStatus.Queued, spec.Language, createdAt, null, null, null) with { SessionId = spec.SessionId };
    }

    public async Task<ExecutionRecord?> GetAsync(string id)
    {
        var fields = await Db.HashGetAsync(RedisKeys.Execution(id),
        [
            ExecutionFields.Status, ExecutionFields.Language, ExecutionFields.CreatedAt,
            ExecutionFields.StartedAt, ExecutionFields.CompletedAt, ExecutionFields.Result, ExecutionFields.SessionId,
        ]);
        if (fields[0].IsNullOrEmpty)
        {
            return null;
        }

        var result = fields[5].IsNullOrEmpty ? null : JsonSerializer.Deserialize<ExecutionResult>(fields[5].ToString(), CodifyJson.Options);
        return ExecutionRecord.Create(id, ExecutionStatusExtensions.ParseWire(fields[0].ToString()), fields[1].ToString(),
            ParseTime(fields[2]) ?? DateTimeOffset.MinValue, ParseTime(fields[3]), ParseTime(fields[4]), result)
            with
        { SessionId = fields[6].IsNullOrEmpty ? null : fields[6].ToString() };
    }

    /// <summary>
    /// The record once it has ended, or its latest state when <paramref name="timeout"/> passes first. The end's
    /// announcement (<see cref="EndedFeed"/>) carries the final record: the answer needs no read after it.
    /// </summary>
    public async Task<ExecutionRecord?> WaitForEndAsync(string id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Listening before reading: the record is stored before its end is announced, so no end is missed.
        using var watch = await ended.WatchAsync(id);
        var record = await GetAsync(id);
        if (record is null || record.Status.IsTerminal())
        {
            return record;
        }

        try
        {
            return await watch.Ended.WaitAsync(timeout, time, cancellationToken) ?? await GetAsync(id);
        }
        catch (TimeoutException)
        {
            // Still running: the caller answers with the latest state.
            return await GetAsync(id);
        }
    }

    private static DateTimeOffset? ParseTime(RedisValue value) =>
        value.IsNullOrEmpty ? null : DateTimeOffset.Parse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
