using Codify.Sandbox.Sessions;
using Codify.Sandbox.Supervision;
using Codify.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Codify.Tests.Sandbox.Hostile.Sessions;

/// <summary>
/// The same real sandbox, every run served as one cell of a fresh session: the session host is composed by the Sandbox's
/// own service extension (<see cref="SessionHostServiceExtensions.AddSessionHost"/>) over this fixture's starter, clean-up
/// and probed isolation state, with a real Redis for its records. <see cref="Sessions"/> drives sessions of many cells.
/// </summary>
public sealed class SessionSandboxRunnerFixture : SandboxRunnerFixture
{
    /// <summary>Under a loaded host an interrupted cell gets longer to stop than the default before its kernel is killed.</summary>
    public const int InterruptGraceMs = 3000;

    private RedisServer? _redis;
    private ServiceProvider? _services;
    private HostileSessions? _sessions;

    public override ISandboxRunner Runner => Sessions;

    public override bool ProgramIsAFile => false;

    internal HostileSessions Sessions => _sessions ?? throw new InvalidOperationException("not initialized");

    internal SessionHost Host => _services!.GetRequiredService<SessionHost>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _redis = await RedisServer.StartAsync();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{SessionHostOptions.Section}:{nameof(SessionHostOptions.InterruptGraceMs)}"] = $"{InterruptGraceMs}",
            }).Build())
            .AddSingleton<IConnectionMultiplexer>(_redis.Connection)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(Options))
            .AddSingleton(Sandbox.Capture)
            .AddSingleton(State)
            .AddSingleton(Sandbox.Starter)
            .AddSingleton(Sandbox.Cleanup);
        services.AddSessionHost();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
        _sessions = new HostileSessions(_services.GetRequiredService<SessionHost>(), _redis.Connection);
    }

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            foreach (var session in Host.Live)
            {
                await Host.EndAsync(session, "the test fixture stopped");
            }

            await _services.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
