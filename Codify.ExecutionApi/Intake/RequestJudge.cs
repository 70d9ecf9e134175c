using Codify.Contracts;
using Codify.ExecutionApi.Callbacks;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Limits;
using Codify.ExecutionApi.Runtimes;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Intake;

/// <summary>
/// Judges one request, in this order: fields and limits, callbackUrl, runtime version. The result is the spec to queue
/// (with the resolved runtime when a version was asked for), or why not.
/// </summary>
public sealed class RequestJudge(
    IOptions<ExecutionOptions> options,
    IOptions<LimitOptions> limits,
    CallbackUrlValidator callbacks,
    RuntimeVersionCheck versions)
{
    public async Task<(ExecutionSpec? Spec, RuntimeInfo? Runtime, IntakeOutcome? Refusal)> JudgeAsync(
        ExecuteRequest request, CancellationToken cancellationToken)
    {
        if (ExecuteRequestValidator.Validate(request, options.Value, limits.Value, out var errors) is not { } spec)
        {
            return (null, null, new IntakeInvalid(errors));
        }

        if (request.CallbackUrl is { } url && await callbacks.ValidateAsync(url, cancellationToken) is { } callbackError)
        {
            return (null, null, new IntakeInvalid(new() { [CallbackUrlValidator.Field] = [callbackError] }));
        }

        if (request.Version is not { } version)
        {
            return (spec, null, null);
        }

        var runtime = await versions.ResolveAsync(spec.Language, version);
        if (runtime.Unpublished)
        {
            return (null, null, IntakeRefusals.RuntimesUnknown());
        }

        return runtime.Mismatch is { } mismatch
            ? (null, null, new IntakeInvalid(new() { ["version"] = [mismatch] }, runtime.Installed!.Version))
            : (spec, runtime.Installed, null);
    }
}
