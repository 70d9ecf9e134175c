using System.Net;
using System.Text;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Piston;

/// <summary>Bad Piston requests: RFC 9457 problems that also carry Piston's <c>message</c>, and nothing queued.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class PistonValidationTests(StackFixture stack)
{
    [Theory]
    [InlineData("""{"language":"python","version":"3"}""", "files")]
    [InlineData("""{"language":"python","version":"3","files":[]}""", "files")]
    [InlineData("""{"language":"cobol","version":"*","files":[{"content":"x"}]}""", "language")]
    [InlineData("""{"version":"*","files":[{"content":"x"}]}""", "language")]
    [InlineData("""{"language":"python","version":"2.7","files":[{"content":"print 1"}]}""", "version")]
    [InlineData("""{"language":"python","version":"3","files":[{"content":"x"}],"run_timeout":3600000}""", "run_timeout")]
    [InlineData("""{"language":"python","version":"3","files":[{"content":"x"}],"run_timeout":20}""", "run_timeout")]
    [InlineData("""{"language":"python","version":"3","files":[{"content":"x"}],"run_memory_limit":-5}""", "run_memory_limit")]
    [InlineData("""{"language":"python","version":"3","files":[{"content":"x"}],"run_memory_limit":1024}""", "run_memory_limit")]
    [InlineData("""{"language":"python","version":"3","files":[{"content":"x"}],"run_timeout":"soon"}""", "run_timeout")]
    [InlineData("""{"language":"python","version":"3","files":[{"name":"x"}]}""", "files[0].content")]
    [InlineData("""{"language":"python","version":"3","files":[{"content":"x","encoding":"rot13"}]}""", "files[0].encoding")]
    [InlineData("""{"language":"python","version":"3","files":[{"content":"//79","encoding":"base64"}]}""", "files[0].content")]
    [InlineData("""{"language":"python","version":"3","files":[{"name":"../etc/x.py","content":"x"}]}""", "files[0].name")]
    [InlineData("""{"language":"python","version":"3","files":[{"content":"x"}""", "body")]
    public async Task Invalid_requests_are_400_problems_with_pistons_message(string json, string field)
    {
        await InstalledRuntimes.WaitUntilPublishedAsync(stack);
        var queuedBefore = (await stack.Redis.Db.StreamInfoAsync(RedisKeys.JobStream)).EntriesAdded;

        using var response = await stack.Client.PostAsync("/api/v2/execute", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"errors should name {field}: {text}");
        Assert.Contains(field, problem.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(queuedBefore, (await stack.Redis.Db.StreamInfoAsync(RedisKeys.JobStream)).EntriesAdded);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_with_a_message()
    {
        using var response = await stack.Client.PostAsync("/api/v2/execute", new StringContent("print(1)", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("requests must be of type application/json", problem.RootElement.GetProperty("message").GetString());
    }
}
