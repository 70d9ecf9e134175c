using Codify.ExecutionApi;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Codify.Tests.Infrastructure;

/// <summary>The real ExecutionApi in-process, pointed at a test Redis.</summary>
public sealed class ApiFactory(string redisConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<ApiMarker>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
