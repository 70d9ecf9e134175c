using System.Globalization;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>Signs every attempt afresh (it sits inside the retry handler), so a retried callback carries a current timestamp.</summary>
public sealed class CallbackSigningHandler(IOptions<CallbackOptions> options, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var secret = options.Value.Secret ?? throw new InvalidOperationException(CallbackUrlValidator.NotConfigured);
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Remove(CallbackSignature.TimestampHeader);
        request.Headers.Remove(CallbackSignature.SignatureHeader);
        request.Headers.TryAddWithoutValidation(CallbackSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(CallbackSignature.SignatureHeader, CallbackSignature.Compute(secret, timestamp, body));
        return await base.SendAsync(request, cancellationToken);
    }
}
