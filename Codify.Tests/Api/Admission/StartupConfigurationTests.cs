using System.Diagnostics;
using System.Net;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Api.Admission;

/// <summary>The seed's variables are validated at start-up: a bad value stops the API with a message naming the variable.</summary>
[ApiTier]
public sealed class StartupConfigurationTests
{
    [Theory]
    [InlineData("RATE_LIMIT_POINTS", "abc")]
    [InlineData("RATE_LIMIT_POINTS", "0")]
    [InlineData("RATE_LIMIT_DURATION", "-5")]
    [InlineData("RATE_LIMIT_DURATION", "1.5")]
    [InlineData("FRONTEND_URL", "localhost:3000")]
    [InlineData("FRONTEND_URL", "ftp://files.codify.test")]
    [InlineData("EXECUTION_TIMEOUT_MAX", "0")]
    [InlineData("EXECUTION_TIMEOUT_MAX", "abc")]
    [InlineData("CODE_SIZE_LIMIT", "-1")]
    [InlineData("API_KEYS", "short")]
    [InlineData("PORT", "http")]
    [InlineData("PORT", "70000")]
    public async Task A_bad_value_stops_start_up_naming_the_variable(string variable, string value)
    {
        // The real API process, as an operator starts it: WebApplicationFactory races its own disposal when start-up
        // fails, which can hide the message this test is about.
        await using var redis = await RedisServer.StartAsync();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(Codify.ExecutionApi.ApiMarker).Assembly.Location },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__redis"] = redis.ConnectionString;
        // The API listens where PORT and HOST say: any free port on loopback, unless the test's variable is PORT.
        start.Environment["PORT"] = "0";
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment[variable] = value;

        using var api = Process.Start(start)!;
        var output = api.StandardOutput.ReadToEndAsync();
        var errors = api.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await api.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, api.ExitCode);
        Assert.Contains(variable, await output + await errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_settings_the_rate_limit_is_on_at_the_seeds_10_per_60_seconds()
    {
        await using var host = await AdmissionHost.StartAsync();
        // Removes the test factory's out-of-reach limit: the production default applies.
        using var client = host.AddReplica(new Dictionary<string, string?> { ["RATE_LIMIT_POINTS"] = null }).CreateClient();

        using var response = await AdmissionHost.ExecuteAsync(client);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("10;w=60", string.Join(",", response.Headers.GetValues("RateLimit-Policy")));
        Assert.Equal("9", string.Join(",", response.Headers.GetValues("RateLimit-Remaining")));
    }

}
