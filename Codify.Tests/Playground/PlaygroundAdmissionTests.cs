using System.Net;
using System.Net.WebSockets;
using System.Text;
using Codify.ExecutionApi.Admission;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Playground;

/// <summary>
/// With API keys configured: the page is public, its API calls are not; a browser's key travels as a WebSocket
/// subprotocol, accepted on the upgrade only; the page's own origin may open sockets. Real Redis, API on Kestrel.
/// </summary>
[ApiTier]
public sealed class PlaygroundAdmissionTests : IAsyncLifetime
{
    private const string Key = "playground-admission-key";

    private RedisServer _redis = null!;
    private KestrelApi _api = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _api = KestrelApi.Start(_redis.ConnectionString, new Dictionary<string, string?> { ["API_KEYS"] = Key });
    }

    [Fact]
    public async Task The_page_and_its_files_are_served_without_a_key_under_a_strict_content_policy()
    {
        using var page = await _api.Client.GetAsync("/playground");
        using var bundle = await _api.Client.GetAsync("/playground/playground.js");
        using var runtimes = await _api.Client.GetAsync("/api/runtimes");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Codify playground</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("default-src 'self'; connect-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Equal("text/javascript", bundle.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, runtimes.StatusCode);
    }

    [Theory]
    [InlineData("/playground/missing.js")]
    [InlineData("/playground/..%2Fappsettings.json")]
    [InlineData("/playground/Codify.ExecutionApi.dll")]
    public async Task Only_the_pages_own_files_are_served(string path)
    {
        using var response = await _api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_key_offered_as_a_subprotocol_opens_the_websocket_and_is_not_echoed()
    {
        using var socket = NewSocket(_api.Address.ToString().TrimEnd('/'), SocketKeyProtocol.KeyPrefix + Base64Url(Key));

        await socket.ConnectAsync(_api.WebSocketUri("/ws"), CancellationToken.None);

        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal(SocketKeyProtocol.Protocol, socket.SubProtocol);
    }

    [Fact]
    public async Task A_wrong_key_as_a_subprotocol_is_refused()
    {
        using var socket = NewSocket(origin: null, SocketKeyProtocol.KeyPrefix + Base64Url("not-the-key-at-all"));

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_api.WebSocketUri("/ws"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
        Assert.NotNull(refused);
    }

    [Fact]
    public async Task The_subprotocol_key_counts_only_on_a_websocket_upgrade()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/runtimes");
        request.Headers.Add("Sec-WebSocket-Protocol", $"{SocketKeyProtocol.Protocol}, {SocketKeyProtocol.KeyPrefix}{Base64Url(Key)}");

        using var response = await _api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_page_of_another_site_cannot_open_a_socket_even_with_the_key()
    {
        using var socket = NewSocket("http://elsewhere.example", SocketKeyProtocol.KeyPrefix + Base64Url(Key));

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_api.WebSocketUri("/ws"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static ClientWebSocket NewSocket(string? origin, string keyProtocol)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.AddSubProtocol(SocketKeyProtocol.Protocol);
        socket.Options.AddSubProtocol(keyProtocol);
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        return socket;
    }

    private static string Base64Url(string text) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
