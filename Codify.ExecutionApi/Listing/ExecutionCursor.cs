using System.Globalization;
using System.Text;

namespace Codify.ExecutionApi.Listing;

/// <summary>An opaque paging position: the creation time and id of the last execution a page looked at.</summary>
public sealed record ExecutionCursor(long CreatedAtMs, string Id)
{
    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{CreatedAtMs.ToString(CultureInfo.InvariantCulture)}:{Id}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out ExecutionCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':', 2);
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && parts[1].Length > 0)
            {
                cursor = new ExecutionCursor(ms, parts[1]);
                return true;
            }
        }
        catch (FormatException)
        {
            // Falls through to "invalid".
        }

        return false;
    }
}
