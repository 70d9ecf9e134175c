using Codify.Hosting;
using Codify.Sandbox.Capture;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Cold;
using Codify.Sandbox.ForkServer;
using Codify.Sandbox.Jobs;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Leftovers;
using Codify.Sandbox.Pool;
using Codify.Sandbox.Readiness;
using Codify.Sandbox.Registration;
using Codify.Sandbox.Runtimes;
using Codify.Sandbox.Sessions;
using Codify.Sandbox.Supervision;
using Codify.Sandbox.Telemetry;
using Codify.Sandbox.Workspace;

using Microsoft.Extensions.Options;

namespace Codify.Sandbox;

public static class SandboxServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("redis",
            // One span per Redis command was most of the spans an execution sent (Telemetry:RedisCommandSpans).
            configureSettings: redis => redis.DisableTracing |= !TelemetryOptions.From(builder.Configuration).RedisCommandSpans,
            configureOptions: RedisClientTimeouts.Configure(builder));

        builder.Services.AddOptions<SandboxOptions>()
            .BindConfiguration(SandboxOptions.Section)
            .Configure<IConfiguration>((options, config) =>
                // The seed's flat variable wins over the section, as documented in the README.
                options.MaxConcurrentExecutions = config.GetValue("MAX_CONCURRENT_EXECUTIONS", options.MaxConcurrentExecutions))
            .ValidateDataAnnotations()
            .Validate(o => o.HeartbeatSeconds * 2 < o.ReclaimIdleSeconds,
                "Sandbox:HeartbeatSeconds must be under half of Sandbox:ReclaimIdleSeconds, or live jobs get reclaimed")
            .Validate(o => o.SlotUpdateIntervalMs < o.HeartbeatSeconds * 1000,
                "Sandbox:SlotUpdateIntervalMs must be under Sandbox:HeartbeatSeconds, or slot updates delay the heartbeat")
            .ValidateOnStart();
        // The host waits for the stop grace plus the killed runs' teardown before it gives up on its services.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<SandboxOptions>>((host, sandbox) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(sandbox.Value.StopGraceSeconds + 10));
        builder.Services.AddOptions<IsolationOptions>()
            .BindConfiguration(IsolationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<CaptureOptions>()
            .BindConfiguration(CaptureOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddCgroupDriver();
        builder.Services.AddLeftoverSweep();
        builder.Services.AddSingleton<SeccompProvider>();
        builder.Services.AddSingleton<ProcessLauncher>();
        builder.Services.AddSingleton<HostUidPool>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IsolationState>();
        builder.Services.AddSingleton<SandboxStarter>();
        builder.Services.AddSingleton<RunSupervisor>();
        builder.Services.AddSingleton<SandboxCleanup>();
        builder.Services.AddSingleton<BubblewrapRunner>();
        builder.Services.AddSandboxPool();
        builder.Services.AddForkServer();
        builder.Services.AddSingleton<ExecutionModeState>();
        builder.Services.AddSingleton<ExecutionRepository>();
        builder.Services.AddSingleton<JobFeed>();
        builder.Services.AddSingleton<JobHandler>();
        builder.Services.AddSingleton<InFlightJobs>();
        builder.Services.AddSandboxTelemetry();
        builder.Services.AddHostedService<JobGauges>();
        builder.Services.AddJobCancellation();
        builder.Services.AddReplicaRegistration();
        builder.Services.AddHostedService<IsolationProbe>();
        builder.Services.AddHostedService<JobConsumer>();
        builder.Services.AddSessionHost();
        builder.Services.AddHostedService<SandboxHeartbeat>();
        builder.Services.AddHostedService<RuntimePublisher>();

        builder.Services.AddHealthChecks().AddCheck<IsolationHealthCheck>("isolation");
        return builder;
    }
}
