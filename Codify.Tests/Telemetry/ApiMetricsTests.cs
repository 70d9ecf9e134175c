using System.Net;
using System.Net.WebSockets;
using Codify.Tests.Api.Admission;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Telemetry;

/// <summary>The API's instruments, on an API whose accepted jobs stay queued (a heartbeat is faked, no sandbox runs).</summary>
[ApiTier]
public sealed class ApiMetricsTests
{
    [Fact]
    public async Task Queue_depth_gauge_counts_the_jobs_no_sandbox_has_taken()
    {
        await using var host = await AdmissionHost.StartAsync();
        var api = host.AddReplica();
        using var client = api.CreateClient();
        using var recorder = new MeasurementRecorder(api.Services);
        await QueueDepthAsync(recorder, 0);

        for (var i = 0; i < 3; i++)
        {
            using var response = await AdmissionHost.ExecuteAsync(client);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await QueueDepthAsync(recorder, 3);
    }

    [Fact]
    public async Task Rate_limited_requests_are_counted_by_reason()
    {
        await using var host = await AdmissionHost.StartAsync();
        var api = host.AddReplica(new Dictionary<string, string?> { ["RATE_LIMIT_POINTS"] = "1", ["RATE_LIMIT_DURATION"] = "600" });
        using var client = api.CreateClient();
        using var recorder = new MeasurementRecorder(api.Services);

        using (var accepted = await AdmissionHost.ExecuteAsync(client))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        Assert.Empty(recorder.Of("codify.api.admission.rejections"));
        using var rejected = await AdmissionHost.ExecuteAsync(client);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var counted = Assert.Single(recorder.Of("codify.api.admission.rejections"));
        Assert.Equal(1, counted.Value);
        Assert.Equal("rate_limited", counted.Tag("reason"));
    }

    [Fact]
    public async Task Open_websockets_are_counted()
    {
        await using var host = await AdmissionHost.StartAsync();
        var api = host.AddReplica();
        using var client = api.CreateClient();
        using var recorder = new MeasurementRecorder(api.Services);
        await ConnectionsAsync(recorder, 0);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using (var socket = await api.Server.CreateWebSocketClient().ConnectAsync(new Uri(api.Server.BaseAddress, "ws"), timeout.Token))
        {
            await ConnectionsAsync(recorder, 1);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }

        await ConnectionsAsync(recorder, 0);
    }

    private static async Task ConnectionsAsync(MeasurementRecorder recorder, int expected) =>
        await Eventually.ReturnsAsync(() =>
            {
                recorder.Measurements.Clear();
                recorder.Observe();
                return Task.FromResult(recorder.Of("codify.api.websocket.connections").LastOrDefault()?.Value);
            },
            open => open == expected, TimeSpan.FromSeconds(20), $"{expected} open WebSockets");

    private static async Task QueueDepthAsync(MeasurementRecorder recorder, int expected) =>
        await Eventually.ReturnsAsync(() =>
            {
                // The gauge reports the depth read at the previous collection and starts a new read.
                recorder.Measurements.Clear();
                recorder.Observe();
                return Task.FromResult(recorder.Of("codify.queue.depth").LastOrDefault()?.Value);
            },
            depth => depth == expected, TimeSpan.FromSeconds(20), $"a queue depth of {expected}");
}
