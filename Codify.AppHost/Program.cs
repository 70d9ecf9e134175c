using Codify.AppHost;
using Codify.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddRedisServer(ResourceNames.Redis);

// launchProfileName: null — the AppHost owns the services' ports; launch profiles would add their own.
builder.AddProject<Projects.Codify_ExecutionApi>(ResourceNames.ExecutionApi, launchProfileName: null)
    .WithPublicHttpEndpoint(builder.Configuration)
    .WithUrlForEndpoint("http", _ => new() { Url = "/playground", DisplayText = "Playground" })
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithSettingsFrom(builder.Configuration, ServiceSettings.ExecutionApi)
    .WithSectionsFrom(builder.Configuration, ServiceSettings.ExecutionApiSections)
    .WithShortOtlpTimeout()
    .WithSmallGen0();

builder.AddProject<Projects.Codify_Sandbox>(ResourceNames.Sandbox, launchProfileName: null)
    .WithReplicas(SandboxReplicas.From(builder.Configuration))
    .WithHttpEndpoint(name: "http")
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithSettingsFrom(builder.Configuration, ServiceSettings.Sandbox)
    .WithSectionsFrom(builder.Configuration, ServiceSettings.SandboxSections)
    .WithShortOtlpTimeout()
    .WithSmallGen0();

builder.Build().Run();
