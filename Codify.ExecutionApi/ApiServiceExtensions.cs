using System.Text.Json.Serialization;
using Codify.Contracts;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.BadRequests;
using Codify.ExecutionApi.Callbacks;
using Codify.ExecutionApi.Cancellation;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Expiry;
using Codify.ExecutionApi.Health;
using Codify.ExecutionApi.Hosting;
using Codify.ExecutionApi.Intake;
using Codify.ExecutionApi.Limits;
using Codify.ExecutionApi.Listing;
using Codify.ExecutionApi.Mcp;
using Codify.ExecutionApi.OpenApi;
using Codify.ExecutionApi.Piston.Connect;
using Codify.ExecutionApi.Runtimes;
using Codify.ExecutionApi.Sessions;
using Codify.ExecutionApi.Sockets;
using Codify.ExecutionApi.Stats;
using Codify.ExecutionApi.Telemetry;
using Codify.Hosting;

namespace Codify.ExecutionApi;

public static class ApiServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient("redis",
            // One span per Redis command was most of the spans an execution sent (Telemetry:RedisCommandSpans).
            configureSettings: redis => redis.DisableTracing |= !TelemetryOptions.From(builder.Configuration).RedisCommandSpans,
            configureOptions: RedisClientTimeouts.Configure(builder));
        builder.Services.AddProblemDetails();
        builder.Services.AddBadRequestProblems();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new SnakeCaseEnumConverter<ExecutionStatus>());
        });

        builder.Services.AddOptions<ExecutionOptions>()
            .BindConfiguration(ExecutionOptions.Section)
            .Configure<IConfiguration>((options, config) =>
            {
                // The seed's flat variables win over the section.
                options.ExecutionTimeoutMax = config.GetValue("EXECUTION_TIMEOUT_MAX", options.ExecutionTimeoutMax);
                options.CodeSizeLimit = config.GetValue("CODE_SIZE_LIMIT", options.CodeSizeLimit);
            })
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultTimeout <= o.ExecutionTimeoutMax, "Executions:DefaultTimeout must not exceed EXECUTION_TIMEOUT_MAX")
            .ValidateOnStart();

        builder.Services.AddOptions<LimitOptions>()
            .BindConfiguration(LimitOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultCpuSeconds <= o.MaxCpuSeconds && o.DefaultMemoryBytes <= o.MaxMemoryBytes
                && o.DefaultProcesses <= o.MaxProcesses && o.DefaultOutputBytes <= o.MaxOutputBytes
                && o.DefaultFileSizeBytes <= o.MaxFileSizeBytes,
                "every Limits default must be within its Limits maximum")
            .ValidateOnStart();

        builder.AddAdmission();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EndedFeed>();
        builder.Services.AddSingleton<ExecutionStore>();
        builder.Services.AddSingleton<Streaming.EventReplay>();
        builder.Services.AddSingleton<Interactive.StdinRelay>();
        builder.Services.AddExecutionIntake();
        builder.Services.AddSessions();
        builder.Services.AddSingleton<ExecutionLister>();
        builder.Services.AddCancellation();
        builder.Services.AddQueueExpiry();
        builder.AddCallbacks();
        builder.AddRuntimes();
        builder.AddApiReference();
        builder.AddHealth();
        builder.Services.AddExecutionStats();
        builder.AddExecutionSockets();
        builder.AddPistonConnect();
        builder.AddApiTelemetry();
        builder.AddCodifyMcp();
        return builder;
    }

    /// <summary>The seed's PORT and HOST choose where the API listens (default http://0.0.0.0:8080): see <see cref="SeedAddress"/>.</summary>
    public static WebApplicationBuilder UseSeedAddress(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseUrls(SeedAddress.Url(builder.Configuration));
        return builder;
    }
}
