using Codify.Contracts;
using Codify.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>
/// This replica's view of the job stream: the "sandbox" consumer group, new jobs, jobs of dead workers, touching the jobs
/// it runs (Registration/SandboxHeartbeat) and completing handled ones.
/// </summary>
public sealed class JobFeed(IConnectionMultiplexer redis, IOptions<SandboxOptions> options) : StreamConsumerGroup(redis, new ConsumerGroupMember(
    RedisKeys.JobStream, RedisKeys.SandboxGroup, options.Value.ConsumerName, TimeSpan.FromSeconds(options.Value.ReclaimIdleSeconds)));
