using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Admission;

/// <summary>
/// Bodies over <see cref="AdmissionOptions.MaxRequestBodyBytes"/> get 413: at once when Content-Length says so, else
/// (chunked) when Kestrel's per-request cap stops the read; <see cref="AdmissionServiceExtensions"/> names the limit in that problem too.
/// </summary>
public sealed class BodySizeMiddleware(RequestDelegate next, IOptions<AdmissionOptions> options, AdmissionMetrics metrics)
{
    public Task InvokeAsync(HttpContext context)
    {
        var max = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > max)
        {
            metrics.Rejected("too_large");
            return AdmissionProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large", Detail(max));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        return next(context);
    }

    public static string Detail(long max) =>
        $"The request body is larger than the limit of {max} bytes (Executions:MaxRequestBodyBytes).";
}
