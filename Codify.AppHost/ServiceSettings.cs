using Microsoft.Extensions.Configuration;

namespace Codify.AppHost;

/// <summary>
/// Server settings that an operator sets on the AppHost (<c>MAX_CONCURRENT_EXECUTIONS=8 ./run.sh</c>), each forwarded
/// to the one service that reads it (PORT and HOST: see <see cref="ApiEndpoint"/>). Forwarded explicitly, so they show in
/// the dashboard and do not depend on child processes inheriting the AppHost's environment.
/// </summary>
public static class ServiceSettings
{
    public static readonly string[] ExecutionApi =
    [
        "EXECUTION_TIMEOUT_MAX",
        "CODE_SIZE_LIMIT",
        "RATE_LIMIT_POINTS",
        "RATE_LIMIT_DURATION",
        "FRONTEND_URL",
        "API_KEYS",
    ];

    /// <summary>Slots per Sandbox replica: the API has no such number (it reads the replicas' published slots).</summary>
    public static readonly string[] Sandbox = ["MAX_CONCURRENT_EXECUTIONS"];

    /// <summary>
    /// Configuration sections each service binds (a unit test checks these against the options classes): any
    /// <c>Section__Key</c> given to the AppHost (<c>Callbacks__Secret=... ./run.sh</c>) goes to the service that reads it.
    /// </summary>
    public static readonly string[] ExecutionApiSections =
        ["ApiKeys", "Callbacks", "Cancellation", "Executions", "Health", "Limits", "Piston", "RateLimit", "Redis", "Runtimes", "Sessions", "Telemetry", "WebSockets"];

    /// <summary>"Sessions" is bound by both services (each its own keys): a key set on the AppHost reaches both, and the one that knows it uses it.</summary>
    public static readonly string[] SandboxSections = ["Capture", "Cgroups", "Isolation", "Leftovers", "Redis", "Sandbox", "Sessions", "Telemetry"];

    /// <summary>Passes every key set under the named sections, as <c>Section__Key</c> environment variables.</summary>
    public static IResourceBuilder<T> WithSectionsFrom<T>(this IResourceBuilder<T> builder, IConfiguration configuration, IEnumerable<string> sections)
        where T : IResourceWithEnvironment
    {
        foreach (var section in sections)
        {
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
            {
                if (value is not null)
                {
                    builder.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
                }
            }
        }

        return builder;
    }

    /// <summary>Passes each named setting that is set (environment, command line, appsettings); unset ones keep the service's default.</summary>
    public static IResourceBuilder<T> WithSettingsFrom<T>(this IResourceBuilder<T> builder, IConfiguration configuration, IEnumerable<string> names)
        where T : IResourceWithEnvironment
    {
        foreach (var name in names)
        {
            if (configuration[name] is { Length: > 0 } value)
            {
                builder.WithEnvironment(name, value);
            }
        }

        return builder;
    }
}
