namespace Codify.ExecutionApi.Limits;

/// <summary>The optional <c>limits</c> object of a request; each value bounded by the server maximum.</summary>
public sealed record RequestedLimits
{
    /// <summary>CPU time in seconds, summed over every process of the run.</summary>
    public double? Cpu { get; init; }

    /// <summary>Wall-clock time in seconds (same as the top-level <c>timeout</c>).</summary>
    public double? Wall { get; init; }

    /// <summary>Memory in bytes, for the whole run (all processes, page cache of its files included).</summary>
    public long? Memory { get; init; }

    /// <summary>Processes and threads the run may have at once.</summary>
    public int? Processes { get; init; }

    /// <summary>Bytes of stdout + stderr kept; past it the run is killed and the output marked truncated.</summary>
    public long? Output { get; init; }

    /// <summary>Largest file the program may write, in bytes (a bigger write fails with EFBIG / SIGXFSZ).</summary>
    public long? FileSize { get; init; }
}
