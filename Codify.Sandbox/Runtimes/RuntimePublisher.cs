using System.Text.Json;
using Codify.Contracts;
using Codify.Sandbox.Launch;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Runtimes;

/// <summary>
/// At start-up, reads the real version of every interpreter this replica runs (on the host, empty environment) and
/// writes it to <see cref="RedisKeys.Runtimes"/>, where the API serves it. The versions are read once; they are
/// written again every <see cref="RepublishInterval"/> so that a Redis that lost its data heals without a restart.
/// Replicas are expected to be built alike: the last one to write wins.
/// </summary>
public sealed partial class RuntimePublisher(
    IConnectionMultiplexer redis,
    IOptions<IsolationOptions> options,
    LocalRuntimes local,
    ILogger<RuntimePublisher> logger) : BackgroundService
{
    public static readonly TimeSpan RepublishInterval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runtimes = await ReadRuntimesAsync(stoppingToken);
        local.Set(runtimes);
        using var timer = new PeriodicTimer(RepublishInterval);
        do
        {
            try
            {
                await PublishAsync(runtimes);
            }
            catch (RedisException e)
            {
                LogPublishFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<IReadOnlyList<RuntimeInfo>> ReadRuntimesAsync(CancellationToken cancellationToken)
    {
        var runtimes = new List<RuntimeInfo>();
        foreach (var language in Languages.All)
        {
            var interpreter = InterpreterPath(options.Value, language);
            string? version;
            try
            {
                version = await InterpreterVersion.ReadAsync(interpreter, cancellationToken);
            }
            catch (Exception e) when (e is IOException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                LogReadFailed(logger, interpreter, e);
                continue;
            }

            if (version is null)
            {
                LogNoVersion(logger, interpreter);
                continue;
            }

            LogFound(logger, language.Name, version, interpreter);
            runtimes.Add(new RuntimeInfo(language.Name, version, language.Aliases, language.Extension, interpreter));
        }

        return runtimes;
    }

    private async Task PublishAsync(IReadOnlyList<RuntimeInfo> runtimes)
    {
        if (runtimes.Count > 0)
        {
            await redis.GetDatabase().HashSetAsync(RedisKeys.Runtimes,
                [.. runtimes.Select(r => new HashEntry(r.Language, JsonSerializer.Serialize(r, CodifyJson.Options)))]);
        }
    }

    public static string InterpreterPath(IsolationOptions options, LanguageInfo language) => language.Name switch
    {
        "python" => options.PythonPath,
        "javascript" => options.NodePath,
        _ => throw new ArgumentOutOfRangeException(nameof(language), language.Name, "unsupported language"),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Runtime {Language} {Version} ({Interpreter})")]
    private static partial void LogFound(ILogger logger, string language, string version, string interpreter);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Interpreter} --version printed no version; its language is not published")]
    private static partial void LogNoVersion(ILogger logger, string interpreter);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Interpreter} --version failed; its language is not published")]
    private static partial void LogReadFailed(ILogger logger, string interpreter, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the runtimes to Redis failed; retrying at the next interval")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
