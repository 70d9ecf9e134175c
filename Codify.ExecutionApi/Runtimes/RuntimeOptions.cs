using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Runtimes;

/// <summary>How the API reads the runtimes the Sandbox published. Section "Runtimes".</summary>
public sealed class RuntimeOptions
{
    public const string Section = "Runtimes";

    /// <summary>How long one read of <c>codify:runtimes</c> is reused, in seconds (0 = read Redis on every request).</summary>
    [Range(0, 300)]
    public double CacheSeconds { get; set; } = 5;
}
