using Codify.ExecutionApi.Admission;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Sessions;

public static class SessionServiceExtensions
{
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddOptions<SessionOptions>()
            .BindConfiguration(SessionOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultIdleTimeoutSeconds <= o.MaxIdleTimeoutSeconds, "Sessions:DefaultIdleTimeoutSeconds must not exceed Sessions:MaxIdleTimeoutSeconds")
            .Validate<IOptions<AdmissionOptions>>((o, admission) => o.MaxFileBytes <= admission.Value.MaxRequestBodyBytes,
                "Sessions:MaxFileBytes must not exceed Executions:MaxRequestBodyBytes (an upload is one request body)")
            .ValidateOnStart();
        return services
            .AddSingleton<SessionStore>()
            .AddSingleton<SessionCourier>()
            .AddSingleton<SessionPlacement>()
            .AddSingleton<SessionService>();
    }
}
