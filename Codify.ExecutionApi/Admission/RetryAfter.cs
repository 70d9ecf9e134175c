using System.Globalization;

namespace Codify.ExecutionApi.Admission;

/// <summary>When a refused client should come back: the one value for "a dependency is not there yet", and the header.</summary>
public static class RetryAfter
{
    /// <summary>Redis, a sandbox or the published runtimes missing: long enough not to hammer, short enough to recover quickly.</summary>
    public const int UnavailableSeconds = 5;

    public static void Set(HttpResponse response, int seconds) =>
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
}
