using System.Net;
using System.Text;
using System.Text.Json;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Api.BadRequests;

/// <summary>
/// Requests the framework cannot bind, on every endpoint that binds one: each is a 400 (or 415) problem whose
/// <c>errors</c> name the field and say what was expected. Binding happens before any sandbox is asked, so no sandbox runs.
/// </summary>
[ApiTier]
public sealed class MalformedRequestTests(MalformedRequestTests.ApiOnly api) : IClassFixture<MalformedRequestTests.ApiOnly>
{
    private readonly HttpClient _client = api.Client;

    [Theory]
    [InlineData("/api/execute", "{not json", "$", "is not valid JSON")]
    [InlineData("/api/execute", "", "$", "the request body was empty")]
    [InlineData("/api/execute", """{"code":5,"language":"python"}""", "$.code", "expected a string")]
    [InlineData("/api/execute", """{"code":"x","language":"python","limits":{"memory":"big"}}""", "$.limits.memory", "expected an integer")]
    [InlineData("/api/execute", """{"code":"x","language":"python","timeout":"ten"}""", "$.timeout", "expected a number")]
    [InlineData("/api/execute", """{"code":"x","language":"python","interactive":"yes"}""", "$.interactive", "expected true or false")]
    [InlineData("/api/execute", """{"code":"x","language":"python","outputs":"yes"}""", "$.outputs", "expected true or false")]
    [InlineData("/api/execute", """{"code":"x","language":"python","returnFiles":1}""", "$.returnFiles", "expected true or false")]
    [InlineData("/api/execute", """{"code":"x","language":"python","args":"a b"}""", "$.args", "expected an array")]
    [InlineData("/api/execute", """{"code":"x","language":"python","limits":5}""", "$.limits", "expected an object")]
    [InlineData("/api/execute/batch", """{"executions":[{"code":"x","language":"python"},{"code":5}]}""", "$.executions[1].code", "expected a string")]
    [InlineData("/api/execute/batch", """{"executions":{}}""", "$.executions", "expected an array")]
    [InlineData("/api/execute/some-id/stdin", """{"data":5}""", "$.data", "expected a string")]
    [InlineData("/api/execute/some-id/stdin", "", "$", "the request body was empty")]
    public async Task A_body_that_cannot_be_read_is_a_problem_naming_the_json_path(string path, string body, string field, string expected)
    {
        using var response = await _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        await AssertNamesFieldAsync(response, HttpStatusCode.BadRequest, field, expected);
    }

    [Theory]
    [InlineData("/api/execute?limit=abc", "limit", "expected an integer, got 'abc'")]
    [InlineData("/api/execute?limit=1.5", "limit", "expected an integer, got '1.5'")]
    public async Task A_query_value_of_the_wrong_type_is_a_problem_naming_the_parameter(string path, string field, string expected)
    {
        using var response = await _client.GetAsync(path);

        await AssertNamesFieldAsync(response, HttpStatusCode.BadRequest, field, expected);
    }

    [Theory]
    [InlineData("/api/execute?ids=a,b&status=completed", "status")]
    [InlineData("/api/execute?ids=a&language=python&limit=5", "language")]
    [InlineData("/api/execute?ids=a&limit=5", "limit")]
    public async Task Ids_beside_a_filter_is_refused_naming_both_not_silently_ignored(string path, string filter)
    {
        using var response = await _client.GetAsync(path);

        await AssertNamesFieldAsync(response, HttpStatusCode.BadRequest, "ids", "cannot be combined with");
        await AssertNamesFieldAsync(response, HttpStatusCode.BadRequest, filter, "ids cannot be combined with");
    }

    [Fact]
    public async Task A_wrongly_typed_wait_is_a_problem_naming_wait()
    {
        using var response = await _client.PostAsync("/api/execute?wait=maybe",
            new StringContent("""{"code":"print(1)","language":"python"}""", Encoding.UTF8, "application/json"));

        await AssertNamesFieldAsync(response, HttpStatusCode.BadRequest, "wait", "expected true or false, got 'maybe'");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_problem_naming_the_content_type()
    {
        using var response = await _client.PostAsync("/api/execute", new StringContent("print(1)", Encoding.UTF8, "text/plain"));

        await AssertNamesFieldAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type", "expected application/json");
    }

    private static async Task AssertNamesFieldAsync(HttpResponseMessage response, HttpStatusCode status, string field, string expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out var messages), text);
        Assert.True(messages[0].GetString()!.Contains(expected, StringComparison.Ordinal), text);
    }

    /// <summary>The API with Redis and no sandbox: enough for requests that never reach one.</summary>
    public sealed class ApiOnly : IAsyncLifetime
    {
        public RedisServer Redis { get; private set; } = null!;

        public ApiFactory Api { get; private set; } = null!;

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Redis = await RedisServer.StartAsync();
            Api = new ApiFactory(Redis.ConnectionString);
            Client = Api.CreateClient();
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await Api.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }
}
