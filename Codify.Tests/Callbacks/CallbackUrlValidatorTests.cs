using System.Net;
using Codify.ExecutionApi.Callbacks;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Callbacks;

/// <summary>Request-time checks with scripted DNS: decisions only, no look-up leaves the machine, nothing is connected to.</summary>
[UnitTier]
public sealed class CallbackUrlValidatorTests
{
    private static CallbackUrlValidator Validator(FakeResolver? dns = null, bool allowPrivate = false, string? secret = CallbackStackFixture.Secret) =>
        new(Options.Create(new CallbackOptions { Secret = secret, AllowPrivateNetworks = allowPrivate }), dns ?? FakeResolver.Failing());

    [Fact]
    public async Task Without_a_secret_every_url_is_refused_as_not_configured() =>
        Assert.Equal(CallbackUrlValidator.NotConfigured, await Validator(secret: null).ValidateAsync("https://example.com/hook", default));

    [Theory]
    [InlineData("")]
    [InlineData("/relative/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("not a url")]
    public async Task Anything_but_an_absolute_http_or_https_url_is_refused(string url) =>
        Assert.Contains("absolute http or https URL", await Validator().ValidateAsync(url, default), StringComparison.Ordinal);

    [Fact]
    public async Task User_information_in_the_url_is_refused() =>
        Assert.Contains("user information", await Validator().ValidateAsync("https://user:secret@example.com/hook", default), StringComparison.Ordinal);

    [Fact]
    public async Task A_url_over_the_length_cap_is_refused_naming_the_limit() =>
        Assert.Contains($"{CallbackUrlValidator.MaxLength} characters",
            await Validator().ValidateAsync("https://example.com/" + new string('a', CallbackUrlValidator.MaxLength), default), StringComparison.Ordinal);

    [Fact]
    public async Task A_name_with_any_internal_address_is_refused()
    {
        var dns = new FakeResolver([IPAddress.Parse("8.8.8.8"), IPAddress.Parse("10.0.0.1")]);

        var error = await Validator(dns).ValidateAsync("https://mixed.example/hook", default);

        Assert.Contains("resolves to 10.0.0.1", error, StringComparison.Ordinal);
        Assert.Equal(1, dns.Calls);
    }

    [Fact]
    public async Task A_name_with_only_public_addresses_is_allowed()
    {
        var dns = new FakeResolver([IPAddress.Parse("8.8.8.8"), IPAddress.Parse("2001:4860:4860::8888")]);

        Assert.Null(await Validator(dns).ValidateAsync("https://public.example:8443/hook?x=1", default));
    }

    [Theory]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("http://0x7f000001/hook")] // 127.0.0.1 spelled in hex
    [InlineData("http://2130706433/hook")] // 127.0.0.1 as one number
    public async Task Internal_ip_literals_are_refused_without_any_lookup_and_allowed_by_the_setting(string url)
    {
        var dns = FakeResolver.Failing();

        Assert.Contains("Callbacks:AllowPrivateNetworks is off", await Validator(dns).ValidateAsync(url, default), StringComparison.Ordinal);
        Assert.Null(await Validator(dns, allowPrivate: true).ValidateAsync(url, default));
        Assert.Equal(0, dns.Calls);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080/hook")]
    [InlineData("http://[::]/hook")]
    [InlineData("http://224.0.0.1/hook")]
    public async Task Unroutable_literals_are_refused_even_when_private_networks_are_allowed(string url) =>
        Assert.Contains("never a callback receiver", await Validator(allowPrivate: true).ValidateAsync(url, default), StringComparison.Ordinal);

    [Fact]
    public async Task A_name_that_does_not_resolve_is_refused() =>
        Assert.Contains("does not resolve", await Validator(FakeResolver.Failing()).ValidateAsync("https://nowhere.example/hook", default), StringComparison.Ordinal);
}
