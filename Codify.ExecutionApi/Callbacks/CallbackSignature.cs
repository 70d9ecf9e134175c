using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>
/// The callback signing scheme. Each attempt carries <c>X-Codify-Timestamp: &lt;unix seconds&gt;</c> and
/// <c>X-Codify-Signature: sha256=&lt;lowercase hex&gt;</c>, the HMAC-SHA256 under the shared secret of the ASCII
/// timestamp, a '.', then the exact body bytes. A receiver recomputes it, compares in constant time, and
/// refuses a timestamp more than a few minutes from its clock: a captured request cannot be replayed later,
/// and the timestamp cannot be changed without breaking the signature.
/// </summary>
public static class CallbackSignature
{
    public const string SignatureHeader = "X-Codify-Signature";
    public const string TimestampHeader = "X-Codify-Timestamp";
    public const string Scheme = "sha256=";

    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        byte[] material = [.. prefix, .. body];
        return Scheme + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), material));
    }
}
