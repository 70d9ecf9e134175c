using System.Net;

namespace Codify.Tests.Api.Admission;

/// <summary>The seed's variables are validated at start-up: a bad value stops the API with a message naming the variable.</summary>
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
    public async Task A_bad_value_stops_start_up_naming_the_variable(string variable, string value)
    {
        await using var host = await AdmissionHost.StartAsync(advertiseSandbox: false);
        var api = host.AddReplica(new Dictionary<string, string?> { [variable] = value });

        var error = Assert.ThrowsAny<Exception>(() => api.Server);

        Assert.Contains(variable, Messages(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_settings_the_rate_limit_is_on_at_100_per_60_seconds()
    {
        await using var host = await AdmissionHost.StartAsync();
        // Removes the test factory's out-of-reach limit: the production default applies.
        using var client = host.AddReplica(new Dictionary<string, string?> { ["RATE_LIMIT_POINTS"] = null }).CreateClient();

        using var response = await AdmissionHost.ExecuteAsync(client);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("100;w=60", string.Join(",", response.Headers.GetValues("RateLimit-Policy")));
        Assert.Equal("99", string.Join(",", response.Headers.GetValues("RateLimit-Remaining")));
    }

    private static string Messages(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(Messages));
            }
        }

        return string.Join(" | ", messages);
    }
}
