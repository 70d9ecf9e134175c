using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox.Leftovers;

/// <summary>Where replica lives hold their locks (section <c>Leftovers</c>).</summary>
public sealed class LeftoverOptions
{
    public const string Section = "Leftovers";

    /// <summary>Root-only folder of one lock file per live (or dead, not yet cleaned) Sandbox process on this host.</summary>
    [Required]
    public string LivesRoot { get; set; } = "/run/codify/lives";
}
