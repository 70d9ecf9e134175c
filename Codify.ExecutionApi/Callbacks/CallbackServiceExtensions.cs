namespace Codify.ExecutionApi.Callbacks;

public static class CallbackServiceExtensions
{
    /// <summary>Signed result callbacks: request-time URL checks, the guarded HttpClient and the dispatcher.</summary>
    public static IHostApplicationBuilder AddCallbacks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CallbackOptions>()
            .BindConfiguration(CallbackOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.Secret) || o.Secret.Length >= CallbackOptions.MinSecretLength,
                $"Callbacks:Secret must be at least {CallbackOptions.MinSecretLength} characters")
            .Validate(o => o.AttemptTimeoutSeconds <= o.TotalTimeoutSeconds,
                "Callbacks:AttemptTimeoutSeconds must not exceed Callbacks:TotalTimeoutSeconds")
            .Validate(o => o.TotalTimeoutSeconds < o.ReclaimIdleSeconds,
                "Callbacks:TotalTimeoutSeconds must be under Callbacks:ReclaimIdleSeconds, or a live delivery gets reclaimed and sent twice")
            .ValidateOnStart();

        builder.Services.AddSingleton<IHostAddressResolver, DnsHostAddressResolver>();
        builder.Services.AddSingleton<CallbackUrlValidator>();
        builder.Services.AddSingleton<CallbackConnector>();
        builder.Services.AddSingleton<CallbackFeed>();
        builder.Services.AddSingleton<CallbackDelivery>();
        builder.Services.AddCallbackHttpClient();
        builder.Services.AddHostedService<CallbackDispatcher>();
        return builder;
    }
}
