using System.Buffers.Text;
using System.Text;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Playground;
using Codify.ExecutionApi.Sockets;
using Microsoft.AspNetCore.Http;

namespace Codify.Tests.Playground;

/// <summary>The pure parts: reading a key from a subprotocol, same-origin sockets, the start-up log's address, the embedded files.</summary>
[UnitTier]
public sealed class PlaygroundUnitTests
{
    [Fact]
    public void A_key_in_a_subprotocol_is_read_on_an_upgrade_and_decoded_from_base64url()
    {
        var key = "ключ/with+odd=chars";
        var upgrade = Upgrade($"codify, codify.key.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key))}");

        Assert.Equal(key, ApiKeys.Presented(upgrade.Request));
    }

    [Fact]
    public void A_header_key_wins_over_the_subprotocol_and_a_plain_request_has_no_subprotocol_key()
    {
        var upgrade = Upgrade("codify.key.YWJj");
        upgrade.Request.Headers[ApiKeys.Header] = "from-the-header";
        var plain = new DefaultHttpContext();
        plain.Request.Method = "GET";
        plain.Request.Headers.SecWebSocketProtocol = "codify.key.YWJj";

        Assert.Equal("from-the-header", ApiKeys.Presented(upgrade.Request));
        Assert.Null(ApiKeys.Presented(plain.Request));
        Assert.Null(ApiKeys.Presented(Upgrade("codify").Request));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("http://localhost:3000", true)]
    [InlineData("http://127.0.0.1:5123", true)]
    [InlineData("http://127.0.0.1:9999", false)]
    [InlineData("https://127.0.0.1:5123", false)]
    [InlineData("http://elsewhere.example", false)]
    [InlineData("null", false)]
    public void Sockets_are_open_to_the_cors_origins_and_the_apis_own_pages(string? origin, bool allowed)
    {
        var http = Upgrade("codify");
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("127.0.0.1:5123");
        if (origin is not null)
        {
            http.Request.Headers.Origin = origin;
        }

        Assert.Equal(allowed, new SocketOrigins(["http://localhost:3000"]).Allows(http.Request));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", "http://localhost:8080")]
    [InlineData("http://[::]:8080", "http://localhost:8080")]
    [InlineData("http://127.0.0.1:41234/", "http://127.0.0.1:41234")]
    public void The_start_up_log_names_an_address_a_browser_can_open(string listening, string browsable)
    {
        Assert.Equal(browsable, PlaygroundAnnouncement.Browsable(listening));
    }

    [Theory]
    [InlineData("index.html", "text/html; charset=utf-8")]
    [InlineData("playground.css", "text/css; charset=utf-8")]
    [InlineData("playground.js", "text/javascript; charset=utf-8")]
    public void The_build_embeds_the_page_its_styles_and_its_editor_bundle(string file, string contentType)
    {
        var asset = PlaygroundAssets.Open(file);

        Assert.NotNull(asset);
        using var content = asset.Value.Content;
        Assert.True(content.Length > 100);
        Assert.Equal(contentType, asset.Value.ContentType);
    }

    private static DefaultHttpContext Upgrade(string protocols)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.Request.Headers.Upgrade = "websocket";
        http.Request.Headers.SecWebSocketProtocol = protocols;
        return http;
    }
}
