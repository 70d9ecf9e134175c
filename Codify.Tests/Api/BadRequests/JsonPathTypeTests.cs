using Codify.ExecutionApi.BadRequests;
using Codify.ExecutionApi.Batches;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Interactive;

namespace Codify.Tests.Api.BadRequests;

/// <summary>The type a JSON path lands on, and how it is said to a client: what the problems' "expected ..." rests on.</summary>
[UnitTier]
public sealed class JsonPathTypeTests
{
    [Theory]
    [InlineData(typeof(ExecuteRequest), "$.code", "a string")]
    [InlineData(typeof(ExecuteRequest), "$.limits.memory", "an integer")]
    [InlineData(typeof(ExecuteRequest), "$.timeout", "a number")]
    [InlineData(typeof(ExecuteRequest), "$.interactive", "true or false")]
    [InlineData(typeof(ExecuteRequest), "$.files", "an array")]
    [InlineData(typeof(ExecuteRequest), "$.files[0]", "an object")]
    [InlineData(typeof(ExecuteRequest), "$['limits'].processes", "an integer")]
    [InlineData(typeof(BatchRequest), "$.executions[3].limits.fileSize", "an integer")]
    [InlineData(typeof(StdinRequest), "$.data", "a string")]
    public void A_path_resolves_to_its_property_and_is_said_as_json(Type root, string path, string expected)
    {
        var type = JsonPathType.Resolve(root, path);

        Assert.NotNull(type);
        Assert.Equal(expected, ExpectedValue.Of(type));
    }

    [Theory]
    [InlineData("$.nothing")]
    [InlineData("$.code[0].x")]
    public void A_path_that_leads_nowhere_resolves_to_nothing(string path) =>
        Assert.Null(JsonPathType.Resolve(typeof(ExecuteRequest), path));

    [Theory]
    [InlineData("Nullable<int>", "an integer")]
    [InlineData("bool", "true or false")]
    [InlineData("Nullable<bool>", "true or false")]
    [InlineData("double", "a number")]
    public void A_bound_parameter_type_is_said_as_what_to_send(string typeName, string expected) =>
        Assert.Equal(expected, ExpectedValue.Of(typeName));
}
