using Codify.ExecutionApi.Hosting;
using Microsoft.Extensions.Configuration;

namespace Codify.Tests.Api.Hosting;

/// <summary>HOST and PORT decide where the API listens; with neither set it is the seed's http://0.0.0.0:8080.</summary>
[UnitTier]
public sealed class SeedAddressTests
{
    [Theory]
    [InlineData(null, null, "http://0.0.0.0:8080")]
    [InlineData("", "", "http://0.0.0.0:8080")]
    [InlineData("9000", null, "http://0.0.0.0:9000")]
    [InlineData(null, "127.0.0.1", "http://127.0.0.1:8080")]
    [InlineData("0", "localhost", "http://localhost:0")]
    [InlineData("8080", "::", "http://[::]:8080")]
    public void Host_and_port_make_the_listening_url(string? port, string? host, string url) =>
        Assert.Equal(url, SeedAddress.Url(Configuration(port, host)));

    [Theory]
    [InlineData("http")]
    [InlineData("-1")]
    [InlineData("65536")]
    public void A_port_that_is_not_a_port_number_is_refused_naming_the_variable(string port)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => SeedAddress.Url(Configuration(port, null)));

        Assert.Contains("PORT", refused.Message, StringComparison.Ordinal);
        Assert.Contains(port, refused.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(string? port, string? host) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["PORT"] = port, ["HOST"] = host }).Build();
}
