using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Streaming;

/// <summary><c>GET /api/execute/{id}/events</c>: the execution's events as Server-Sent Events, replay first, then live.</summary>
public static class EventsApi
{
    public static RouteGroupBuilder MapExecutionEvents(this RouteGroupBuilder api)
    {
        api.MapGet("/{id}/events", StreamAsync)
            .WithName("ExecutionEvents")
            .WithSummary("Stream one execution's events (queued, started, stdout, stderr, completed) as Server-Sent Events; Last-Event-ID resumes.");
        return api;
    }

    public static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StreamAsync(
        string id,
        ExecutionStore store,
        EventReplay replay,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id) is null)
        {
            return TypedResults.Problem($"No execution with id '{id}' exists (or it has expired).",
                statusCode: StatusCodes.Status404NotFound, title: "Execution not found");
        }

        // Last-Event-ID is the last sequence the client has; an unreadable one replays from the start.
        var after = long.TryParse(http.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            ? last
            : 0;
        return TypedResults.ServerSentEvents(ToItems(replay.StreamAsync(id, after, cancellationToken)));
    }

    /// <summary>Each event as its JSON, named by its type, with its sequence as the SSE id.</summary>
    private static async IAsyncEnumerable<SseItem<string>> ToItems(IAsyncEnumerable<ExecutionEvent> events)
    {
        await foreach (var e in events)
        {
            var type = JsonSerializer.Serialize(e.Type, CodifyJson.Options).Trim('"');
            yield return new SseItem<string>(JsonSerializer.Serialize(e, CodifyJson.Options), type)
            {
                EventId = e.Sequence.ToString(CultureInfo.InvariantCulture),
            };
        }
    }
}
