using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Codify.Tests.Callbacks;

/// <summary>One POST the receiver got, and the status it answered with.</summary>
public sealed record ReceivedCallback(byte[] Body, string? Signature, string? Timestamp, string? ContentType, int AnsweredWith)
{
    /// <summary>Checks the documented scheme independently of the product code: HMAC-SHA256 of "timestamp.body".</summary>
    public bool IsSignedWith(string secret)
    {
        if (Timestamp is null || Signature is null)
        {
            return false;
        }

        byte[] material = [.. Encoding.ASCII.GetBytes(Timestamp + "."), .. Body];
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), material));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(Signature));
    }

    public DateTimeOffset SignedAt => DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp!, CultureInfo.InvariantCulture));
}

/// <summary>A real HTTP receiver (Kestrel on 127.0.0.1, random port) that records every callback POST.</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedCallback> _received = new();
    private readonly Func<int, int> _statusForAttempt;
    private WebApplication _app = null!;
    private int _attempts;

    private CallbackReceiver(Func<int, int> statusForAttempt) => _statusForAttempt = statusForAttempt;

    public int Port { get; private set; }

    public string Url => $"http://127.0.0.1:{Port}/hook";

    public IReadOnlyList<ReceivedCallback> Received => [.. _received];

    /// <param name="statusForAttempt">Status to answer the n-th POST (1-based) with; 200 by default.</param>
    public static async Task<CallbackReceiver> StartAsync(Func<int, int>? statusForAttempt = null)
    {
        var receiver = new CallbackReceiver(statusForAttempt ?? (_ => 200));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/hook", receiver.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Port = new Uri(address).Port;
        receiver._app = app;
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var status = _statusForAttempt(Interlocked.Increment(ref _attempts));
        _received.Enqueue(new ReceivedCallback(body.ToArray(), request.Headers["X-Codify-Signature"], request.Headers["X-Codify-Timestamp"],
            request.ContentType, status));
        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
