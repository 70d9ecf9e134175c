using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Cancellation;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Cancellation;

/// <summary>HTTP steps the cancel tests share: queue a program, wait until it really runs, DELETE it.</summary>
internal static class CancelTestKit
{
    /// <summary>Runs until killed (its wall limit, 30 s, is far beyond any test's wait).</summary>
    public const string Sleeper = "import time\nprint('sleeping', flush=True)\ntime.sleep(60)";

    public static async Task<string> QueueAsync(HttpClient client, string code)
    {
        using var response = await client.PostAsJsonAsync("/api/execute", new { code, language = "python", timeout = 30 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;
    }

    public static async Task<ExecutionRecord> GetAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options))!;

    public static async Task<(HttpStatusCode Status, CancelResponse Body)> DeleteAsync(HttpClient client, string id)
    {
        using var response = await client.DeleteAsync($"/api/execute/{id}");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<CancelResponse>(CodifyJson.Options))!);
    }

    /// <summary>Until the record is running and its python process lives in the run's cgroup on the host.</summary>
    public static async Task WaitUntilProgramRunsAsync(HttpClient client, string id)
    {
        await Eventually.ReturnsAsync(() => GetAsync(client, id), r => r.Status == ExecutionStatus.Running,
            TimeSpan.FromSeconds(30), $"execution {id} to start");
        await Eventually.ReturnsAsync(() => Task.FromResult(RunProcesses.Of(id)),
            processes => processes.Any(p => p.CommandLine.Contains("python3", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), $"the python process of {id} to run");
    }
}
