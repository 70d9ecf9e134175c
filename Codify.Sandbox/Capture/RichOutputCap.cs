using Codify.Contracts;

namespace Codify.Sandbox.Capture;

/// <summary>
/// The one rule for rich outputs a sandbox hands back (a run's channel, a session cell's frame): only known types, PNG only
/// as valid base64, and at most <see cref="CaptureOptions.MaxOutputs"/> outputs of <see cref="CaptureOptions.MaxOutputBytes"/>
/// together. Over a cap the rest is left out and <see cref="Cut"/> says so; the program never decides what the host keeps.
/// </summary>
internal sealed class RichOutputCap(CaptureOptions caps)
{
    private long _bytes;

    public List<RichOutput> Kept { get; } = [];

    public bool Cut { get; set; }

    /// <summary>The output if it is well formed (a forged type or broken base64 is dropped), else null.</summary>
    public static RichOutput? Checked(string? type, string? data) =>
        RichOutput.IsKnownType(type) && data is not null && (type != RichOutput.Png || Base64Length(data) is not null)
            ? new RichOutput(type!, data) : null;

    /// <summary>The decoded length of valid base64, else null: a size is always the host's own count, never the record's word.</summary>
    public static long? Base64Length(string data)
    {
        var decoded = new byte[(data.Length / 4 * 3) + 3];
        return Convert.TryFromBase64String(data, decoded, out var written) ? written : null;
    }

    /// <summary>Keeps the output if it fits what is left of the caps; otherwise marks the outputs cut.</summary>
    public void Offer(RichOutput output)
    {
        if (Kept.Count < caps.MaxOutputs && _bytes + output.Data.Length <= caps.MaxOutputBytes)
        {
            _bytes += output.Data.Length;
            Kept.Add(output);
        }
        else
        {
            Cut = true;
        }
    }
}
