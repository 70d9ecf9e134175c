using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Limits;

namespace Codify.Tests.Executions;

[UnitTier]
public sealed class ExecuteRequestValidatorTests
{
    private static readonly ExecutionOptions Options = new() { ExecutionTimeoutMax = 30, CodeSizeLimit = 100, StdinSizeLimit = 10 };
    private static readonly LimitOptions Limits = new();

    [Theory]
    [InlineData("python", "python")]
    [InlineData("py", "python")]
    [InlineData("PYTHON", "python")]
    [InlineData("javascript", "javascript")]
    [InlineData("js", "javascript")]
    [InlineData("node", "javascript")]
    public void Accepts_language_names_and_aliases(string language, string canonical)
    {
        var spec = ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = language }, Options, Limits, out var errors);

        Assert.Empty(errors);
        Assert.Equal(canonical, spec!.Language);
    }

    [Fact]
    public void Timeout_in_seconds_becomes_the_wall_limit()
    {
        var spec = ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = "py", Timeout = 2.5 }, Options, Limits, out _);

        Assert.Equal(2500, spec!.Limits.WallTimeMs);
    }

    [Fact]
    public void Missing_timeout_uses_the_default()
    {
        var spec = ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = "py" }, Options, Limits, out _);

        Assert.Equal(Options.DefaultTimeout * 1000, spec!.Limits.WallTimeMs);
    }

    [Theory]
    [InlineData("ruby", "language", "unsupported language 'ruby'")]
    [InlineData(null, "language", "language is required")]
    public void Rejects_unknown_or_missing_language(string? language, string field, string message)
    {
        var spec = ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = language }, Options, Limits, out var errors);

        Assert.Null(spec);
        Assert.StartsWith(message, errors[field][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_code_over_the_size_limit_naming_the_limit()
    {
        var code = new string('a', 101);

        ExecuteRequestValidator.Validate(new ExecuteRequest { Code = code, Language = "py" }, Options, Limits, out var errors);

        Assert.Contains("100 bytes (CODE_SIZE_LIMIT)", errors["code"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_code_size_in_utf8_bytes_not_characters()
    {
        var code = new string('é', 51); // 102 bytes

        ExecuteRequestValidator.Validate(new ExecuteRequest { Code = code, Language = "py" }, Options, Limits, out var errors);

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
        ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = "py", Timeout = timeout }, Options, Limits, out var errors);

        Assert.Contains("30 seconds (EXECUTION_TIMEOUT_MAX)", errors["timeout"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_empty_code_and_oversize_stdin_together()
    {
        ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "", Language = "py", Stdin = "12345678901" }, Options, Limits, out var errors);

        Assert.Equal(["code", "stdin"], errors.Keys.Order());
    }

    [Fact]
    public void Requested_limits_within_the_maxima_reach_the_spec()
    {
        var requested = new RequestedLimits { Cpu = 2, Wall = 3, Memory = 64L << 20, Processes = 40, Output = 4096 };

        var spec = ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = "py", Limits = requested }, Options, Limits, out var errors);

        Assert.Empty(errors);
        Assert.Equal(new ExecutionLimits(3000, 2000, 64L << 20, 40, 4096, Limits.DefaultFileSizeBytes), spec!.Limits);
    }

    [Fact]
    public void Defaults_apply_when_no_limits_are_given()
    {
        var spec = ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = "py" }, Options, Limits, out _);

        Assert.Equal(5000, spec!.Limits.CpuTimeMs);
        Assert.Equal(256L << 20, spec.Limits.MemoryBytes);
        Assert.Equal(64, spec.Limits.Processes);
        Assert.Equal(1L << 20, spec.Limits.OutputBytes);
    }

    [Theory]
    [InlineData("limits.cpu", "Limits:MaxCpuSeconds")]
    [InlineData("limits.memory", "Limits:MaxMemoryBytes")]
    [InlineData("limits.processes", "Limits:MaxProcesses")]
    [InlineData("limits.output", "Limits:MaxOutputBytes")]
    [InlineData("limits.fileSize", "Limits:MaxFileSizeBytes")]
    public void Limits_over_the_server_maxima_are_rejected_naming_field_and_setting(string field, string setting)
    {
        var requested = new RequestedLimits
        {
            Cpu = field == "limits.cpu" ? 31 : null,
            Memory = field == "limits.memory" ? 2L << 30 : null,
            Processes = field == "limits.processes" ? 10_000 : null,
            Output = field == "limits.output" ? 1L << 30 : null,
            FileSize = field == "limits.fileSize" ? 1L << 31 : null,
        };

        ExecuteRequestValidator.Validate(new ExecuteRequest { Code = "x", Language = "py", Limits = requested }, Options, Limits, out var errors);

        Assert.Equal([field], errors.Keys);
        Assert.Contains(setting, errors[field][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Wall_limit_and_timeout_must_agree_when_both_are_given()
    {
        ExecuteRequestValidator.Validate(
            new ExecuteRequest { Code = "x", Language = "py", Timeout = 2, Limits = new RequestedLimits { Wall = 3 } }, Options, Limits, out var errors);

        Assert.True(errors.ContainsKey("limits.wall"));
    }

    [Fact]
    public void Files_make_the_first_one_the_entry_point_and_keep_args()
    {
        var request = new ExecuteRequest { Language = "py", Files = [new("a.py", "import b"), new("b.py", "x = 1")], Args = ["1", "2"] };

        var spec = ExecuteRequestValidator.Validate(request, Options, Limits, out var errors);

        Assert.Empty(errors);
        Assert.Equal("import b", spec!.Code);
        Assert.Equal(["a.py", "b.py"], spec.Files!.Select(f => f.Name));
        Assert.Equal(["1", "2"], spec.Args!);
    }

    [Theory]
    [InlineData("../x.py", "files[0].name")]
    [InlineData("a/b.py", "files[0].name")]
    [InlineData(".env", "files[0].name")]
    public void Unsafe_file_names_are_rejected_naming_the_file(string name, string field)
    {
        ExecuteRequestValidator.Validate(new ExecuteRequest { Language = "py", Files = [new(name, "x")] }, Options, Limits, out var errors);

        Assert.True(errors.ContainsKey(field));
    }

    [Fact]
    public void Code_and_files_together_duplicate_names_and_oversize_files_are_rejected()
    {
        ExecuteRequestValidator.Validate(new ExecuteRequest { Language = "py", Code = "x", Files = [new("a.py", "x")] }, Options, Limits, out var both);
        ExecuteRequestValidator.Validate(new ExecuteRequest { Language = "py", Files = [new("a.py", "x"), new("a.py", "y")] }, Options, Limits, out var duplicate);
        ExecuteRequestValidator.Validate(new ExecuteRequest { Language = "py", Files = [new("a.py", new string('x', 60)), new("b.py", new string('x', 60))] }, Options, Limits, out var oversize);

        Assert.Contains("not both", both["code"][0], StringComparison.Ordinal);
        Assert.Contains("unique", duplicate["files"][0], StringComparison.Ordinal);
        Assert.Contains("CODE_SIZE_LIMIT", oversize["files"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_arguments_are_rejected()
    {
        var args = Enumerable.Range(0, 65).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        ExecuteRequestValidator.Validate(new ExecuteRequest { Language = "py", Code = "x", Args = args }, Options, Limits, out var errors);

        Assert.True(errors.ContainsKey("args"));
    }
}
