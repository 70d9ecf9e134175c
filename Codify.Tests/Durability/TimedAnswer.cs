using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Codify.Tests.Durability;

/// <summary>One HTTP answer with how long it took: the outage tests check both what and how fast.</summary>
internal sealed record TimedAnswer(string Request, HttpStatusCode Status, string? ContentType, string? RetryAfter, string Body, TimeSpan Took)
{
    public static async Task<TimedAnswer> SendAsync(HttpClient client, HttpMethod method, string path, object? json = null)
    {
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : JsonContent.Create(json) };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new TimedAnswer($"{method} {path}", response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            response.Headers.RetryAfter?.ToString(), body, clock.Elapsed);
    }

    public override string ToString() => $"{Request} -> {(int)Status} in {Took.TotalMilliseconds:0} ms: {Body}";
}
