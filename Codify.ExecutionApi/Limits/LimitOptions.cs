using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Limits;

/// <summary>Per-run limits: the defaults a request gets and the maxima it may ask for. Section "Limits".</summary>
public sealed class LimitOptions
{
    public const string Section = "Limits";

    [Range(0.1, 3600)]
    public double DefaultCpuSeconds { get; set; } = 5;

    [Range(0.1, 3600)]
    public double MaxCpuSeconds { get; set; } = 30;

    [Range(1L << 20, 64L << 30)]
    public long DefaultMemoryBytes { get; set; } = 256L << 20;

    [Range(1L << 20, 64L << 30)]
    public long MaxMemoryBytes { get; set; } = 1L << 30;

    /// <summary>Below ~32, node cannot start its own threads; below 8, bwrap's own setup stalls.</summary>
    [Range(32, 4096)]
    public int DefaultProcesses { get; set; } = 64;

    [Range(32, 4096)]
    public int MaxProcesses { get; set; } = 256;

    [Range(1024, 1L << 30)]
    public long DefaultOutputBytes { get; set; } = 1L << 20;

    [Range(1024, 1L << 30)]
    public long MaxOutputBytes { get; set; } = 16L << 20;

    /// <summary>Largest file the program may write (RLIMIT_FSIZE); the sandbox's tmpfs size caps it further.</summary>
    [Range(1024, 1L << 32)]
    public long DefaultFileSizeBytes { get; set; } = 16L << 20;

    [Range(1024, 1L << 32)]
    public long MaxFileSizeBytes { get; set; } = 64L << 20;
}
