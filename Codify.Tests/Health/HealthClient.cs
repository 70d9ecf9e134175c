using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Codify.Tests.Health;

/// <summary>One answer of a health or stats endpoint: its status code, its JSON body and how long it took.</summary>
public sealed record HealthAnswer(HttpStatusCode Status, JsonElement Body, TimeSpan Took, string? RetryAfter)
{
    public static async Task<HealthAnswer> GetAsync(HttpClient client, string path)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();
        using var document = JsonDocument.Parse(text);
        return new HealthAnswer(response.StatusCode, document.RootElement.Clone(), clock.Elapsed,
            response.Headers.RetryAfter?.ToString());
    }

    public JsonElement Check(string name) => Body.GetProperty("checks").GetProperty(name);

    public string CheckStatus(string name) => Check(name).GetProperty("status").GetString()!;

    public IReadOnlyList<JsonElement> Replicas() => [.. Check("sandboxes").GetProperty("replicas").EnumerateArray()];

    public override string ToString() => $"{(int)Status} {Body}";
}
