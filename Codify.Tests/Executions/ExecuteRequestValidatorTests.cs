using Codify.ExecutionApi.Executions;

namespace Codify.Tests.Executions;

public sealed class ExecuteRequestValidatorTests
{
    private static readonly ExecutionOptions Options = new() { ExecutionTimeoutMax = 30, CodeSizeLimit = 100, StdinSizeLimit = 10 };

    [Theory]
    [InlineData("python", "python")]
    [InlineData("py", "python")]
    [InlineData("PYTHON", "python")]
    [InlineData("javascript", "javascript")]
    [InlineData("js", "javascript")]
    [InlineData("node", "javascript")]
    public void Accepts_language_names_and_aliases(string language, string canonical)
    {
        var spec = ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = language }, Options, out var errors);

        Assert.Empty(errors);
        Assert.Equal(canonical, spec!.Language);
    }

    [Fact]
    public void Timeout_in_seconds_becomes_the_wall_limit()
    {
        var spec = ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = "py", Timeout = 2.5 }, Options, out _);

        Assert.Equal(2500, spec!.Limits.WallTimeMs);
    }

    [Fact]
    public void Missing_timeout_uses_the_default()
    {
        var spec = ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = "py" }, Options, out _);

        Assert.Equal(Options.DefaultTimeout * 1000, spec!.Limits.WallTimeMs);
    }

    [Theory]
    [InlineData("ruby", "language", "unsupported language 'ruby'")]
    [InlineData(null, "language", "language is required")]
    public void Rejects_unknown_or_missing_language(string? language, string field, string message)
    {
        var spec = ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = language }, Options, out var errors);

        Assert.Null(spec);
        Assert.StartsWith(message, errors[field][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_code_over_the_size_limit_naming_the_limit()
    {
        var code = new string('a', 101);

        ExecuteRequestValidator.Validate(new ExecuteRequest { Code = code, Language = "py" }, Options, out var errors);

        Assert.Contains("100 bytes (CODE_SIZE_LIMIT)", errors["code"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_code_size_in_utf8_bytes_not_characters()
    {
        var code = new string('é', 51); // 102 bytes

        ExecuteRequestValidator.Validate(new ExecuteRequest { Code = code, Language = "py" }, Options, out var errors);

        Assert.True(errors.ContainsKey("code"));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Rejects_timeouts_outside_the_server_range(double timeout)
    {
        ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = "py", Timeout = timeout }, Options, out var errors);

        Assert.Contains("30 seconds (EXECUTION_TIMEOUT_MAX)", errors["timeout"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_empty_code_and_oversize_stdin_together()
    {
        ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "", Language = "py", Stdin = "12345678901" }, Options, out var errors);

        Assert.Equal(["code", "stdin"], errors.Keys.Order());
    }
}
