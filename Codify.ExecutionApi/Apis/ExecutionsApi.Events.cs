using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Streaming;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Apis;

/// <summary><c>GET /api/execute/{id}/events</c>: the execution's events as Server-Sent Events, replay first, then live.</summary>
public static partial class ExecutionsApi
{
    public static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StreamEventsAsync(
        string id,
        ExecutionStore store,
        EventReplay replay,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id) is null)
        {
            return ApiProblems.NotFound(id);
        }

        // Last-Event-ID is the last sequence the client has; an unreadable one replays from the start.
        var after = long.TryParse(http.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            ? last
            : 0;
        return TypedResults.ServerSentEvents(ToSseItems(replay.StreamAsync(id, after, cancellationToken)));
    }

    /// <summary>Each event as its JSON, named by its type, with its sequence as the SSE id.</summary>
    private static async IAsyncEnumerable<SseItem<string>> ToSseItems(IAsyncEnumerable<ExecutionEvent> events)
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
