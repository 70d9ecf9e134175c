using Codify.ExecutionApi;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Codify.Tests.Infrastructure;

/// <summary>
/// The real ExecutionApi in-process, pointed at a test Redis. Its rate limit is set out of reach (tests send many
/// requests from one client); a test of the limit gives its own RATE_LIMIT_POINTS in <paramref name="settings"/>.
/// </summary>
public sealed class ApiFactory(string redisConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<ApiMarker>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        builder.UseSetting("RATE_LIMIT_POINTS", "1000000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
