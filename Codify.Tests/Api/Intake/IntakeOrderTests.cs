using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Api.Admission;
using Codify.Tests.Infrastructure;
using Codify.Tests.Sockets;

namespace Codify.Tests.Api.Intake;

/// <summary>
/// The one intake decides the same way, in the same order, whichever transport a submission came by: budget, then the
/// request, then a sandbox, then the store.
/// </summary>
[ApiTier]
public sealed class IntakeOrderTests
{
    private static readonly object Invalid = new { code = "print(1)", language = "cobol" };

    [Fact]
    public async Task The_budget_is_spent_before_the_request_is_judged()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica(new Dictionary<string, string?> { ["RATE_LIMIT_POINTS"] = "1" }).CreateClient();

        using var invalid = await client.PostAsJsonAsync("/api/execute", Invalid);
        using var valid = await AdmissionHost.ExecuteAsync(client);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("0", invalid.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
        Assert.False(await host.Redis.Db.KeyExistsAsync(RedisKeys.JobStream));
    }

    [Fact]
    public async Task The_request_is_judged_before_sandboxes_are_looked_for()
    {
        await using var host = await AdmissionHost.StartAsync(advertiseSandbox: false);
        using var client = host.AddReplica().CreateClient();

        using var invalid = await client.PostAsJsonAsync("/api/execute", Invalid);
        using var valid = await AdmissionHost.ExecuteAsync(client);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("language", out _));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, valid.StatusCode);
    }

    [Fact]
    public async Task Every_transport_refuses_a_missing_sandbox_alike_and_queues_nothing()
    {
        await using var host = await AdmissionHost.StartAsync(advertiseSandbox: false);
        await using var api = KestrelApi.Start(host.Redis.ConnectionString);

        using var single = await AdmissionHost.ExecuteAsync(api.Client);
        using var batch = await api.Client.PostAsJsonAsync("/api/execute/batch", new { executions = new[] { AdmissionHost.Program } });
        using var piston = await api.Client.PostAsJsonAsync("/api/v2/execute",
            new { language = "python", version = "*", files = new[] { new { content = "print(1)" } } });
        await using var socket = await SocketClient.ConnectAsync(api.WebSocketUri("/ws"));
        await socket.SendAsync(new { type = "execute", requestId = "r1", language = "python", code = "print(1)" });
        var error = await socket.ReceiveAsync();

        foreach (var response in new[] { single, batch })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter!.Delta);
            Assert.Equal("No sandbox available", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }

        // Piston: its runtimes are not published either (no sandbox ever started), which is also a 503 with Retry-After.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, piston.StatusCode);
        Assert.NotNull(piston.Headers.RetryAfter);
        Assert.Equal("error", error!.Value.GetProperty("type").GetString());
        Assert.Equal("unavailable", error.Value.GetProperty("code").GetString());
        Assert.Equal("r1", error.Value.GetProperty("requestId").GetString());
        Assert.Equal(5, error.Value.GetProperty("retryAfter").GetInt32());
        Assert.False(await host.Redis.Db.KeyExistsAsync(RedisKeys.JobStream));
    }

    [Fact]
    public async Task A_websocket_execute_spends_the_same_budget_as_rest()
    {
        await using var host = await AdmissionHost.StartAsync();
        await using var api = KestrelApi.Start(host.Redis.ConnectionString, new Dictionary<string, string?> { ["RATE_LIMIT_POINTS"] = "1" });

        using var rest = await AdmissionHost.ExecuteAsync(api.Client);
        await using var socket = await SocketClient.ConnectAsync(api.WebSocketUri("/ws"));
        await socket.SendAsync(new { type = "execute", requestId = "r2", language = "python", code = "print(1)" });
        var error = await socket.ReceiveAsync();

        Assert.Equal(HttpStatusCode.Accepted, rest.StatusCode);
        Assert.Equal("rate_limited", error!.Value.GetProperty("code").GetString());
        Assert.Equal(1, await host.Redis.Db.StreamLengthAsync(RedisKeys.JobStream));
    }
}
