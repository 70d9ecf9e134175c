using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Codify.Contracts;

namespace Codify.Tests.Streaming;

/// <summary>Reads <c>GET /api/execute/{id}/events</c> with a real SSE parser until the server ends the stream.</summary>
public static class EventStreamClient
{
    public sealed record Received(string Id, string Type, ExecutionEvent Event);

    public static async Task<string> StartAsync(HttpClient client, string code)
    {
        using var response = await client.PostAsJsonAsync("/api/execute", new { code, language = "python", timeout = 30 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;
    }

    /// <summary>Every event of the stream, in arrival order; <paramref name="onEvent"/> sees each as it arrives.</summary>
    public static async Task<List<Received>> ReadAllAsync(HttpClient client, string id, string? lastEventId = null,
        Func<Received, Task>? onEvent = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/execute/{id}/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        var events = new List<Received>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(timeout.Token))
        {
            var received = new Received(item.EventId ?? "", item.EventType,
                JsonSerializer.Deserialize<ExecutionEvent>(item.Data, CodifyJson.Options)!);
            events.Add(received);
            if (onEvent is not null)
            {
                await onEvent(received);
            }
        }

        return events;
    }

    /// <summary>The output events flattened to one (stream, line) per line, in sequence order.</summary>
    public static List<string> OutputLines(IEnumerable<Received> events) =>
    [
        .. events
            .Where(e => e.Event.Type is ExecutionEventType.Stdout or ExecutionEventType.Stderr)
            .SelectMany(e => e.Event.Data!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => $"{e.Type}:{line}")),
    ];
}
