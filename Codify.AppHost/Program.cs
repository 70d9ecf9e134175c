using Codify.AppHost;
using Codify.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddRedisServer(ResourceNames.Redis);

// launchProfileName: null — the AppHost owns the services' ports; launch profiles would add their own.
builder.AddProject<Projects.Codify_ExecutionApi>(ResourceNames.ExecutionApi, launchProfileName: null)
    .WithPublicHttpEndpoint(builder.Configuration)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithSettingsFrom(builder.Configuration, ServiceSettings.ExecutionApi)
    .WithSectionsFrom(builder.Configuration, ServiceSettings.ExecutionApiSections)
    .WithShortOtlpTimeout();

builder.AddProject<Projects.Codify_Sandbox>(ResourceNames.Sandbox, launchProfileName: null)
    .WithHttpEndpoint(name: "http")
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithSettingsFrom(builder.Configuration, ServiceSettings.Sandbox)
    .WithSectionsFrom(builder.Configuration, ServiceSettings.SandboxSections)
    .WithShortOtlpTimeout();

builder.Build().Run();
