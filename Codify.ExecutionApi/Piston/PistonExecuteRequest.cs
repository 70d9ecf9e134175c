using System.Text.Json.Serialization;

namespace Codify.ExecutionApi.Piston;

/// <summary>Body of Piston's <c>POST /api/v2/execute</c>. Times are in milliseconds, memory in bytes; -1 (or 0) means the server default.</summary>
public sealed record PistonExecuteRequest
{
    /// <summary>Language name or alias, as listed by <c>GET /api/v2/runtimes</c>.</summary>
    public string? Language { get; init; }

    /// <summary>Version selector: exact ("3.11.2"), a prefix ("3", "3.11", "3.x") or "*". Optional here (Piston requires it).</summary>
    public string? Version { get; init; }

    /// <summary>The program's files; the first is the entry point. A file without a name gets a default one.</summary>
    public IReadOnlyList<PistonFile?>? Files { get; init; }

    public string? Stdin { get; init; }

    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>Wall-clock limit of the run, in milliseconds.</summary>
    [JsonPropertyName("run_timeout")]
    public double? RunTimeout { get; init; }

    /// <summary>CPU-time limit of the run, in milliseconds.</summary>
    [JsonPropertyName("run_cpu_time")]
    public double? RunCpuTime { get; init; }

    /// <summary>Memory limit of the run, in bytes.</summary>
    [JsonPropertyName("run_memory_limit")]
    public long? RunMemoryLimit { get; init; }

    /// <summary>Accepted and ignored: Python and JavaScript have no compile stage.</summary>
    [JsonPropertyName("compile_timeout")]
    public double? CompileTimeout { get; init; }

    /// <summary>Accepted and ignored: Python and JavaScript have no compile stage.</summary>
    [JsonPropertyName("compile_cpu_time")]
    public double? CompileCpuTime { get; init; }

    /// <summary>Accepted and ignored: Python and JavaScript have no compile stage.</summary>
    [JsonPropertyName("compile_memory_limit")]
    public long? CompileMemoryLimit { get; init; }
}

/// <summary>One file of a Piston request.</summary>
public sealed record PistonFile
{
    /// <summary>Optional: the entry point defaults to <c>main.py</c> / <c>main.js</c>, other files to <c>file{i}.py</c> / <c>file{i}.js</c>.</summary>
    public string? Name { get; init; }

    public string? Content { get; init; }

    /// <summary><c>utf8</c> (default), <c>base64</c> or <c>hex</c>; decoded content must be UTF-8 text.</summary>
    public string? Encoding { get; init; }
}
