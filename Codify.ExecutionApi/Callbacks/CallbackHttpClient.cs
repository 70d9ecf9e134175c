using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>
/// The named HttpClient callbacks go out on: its own retry pipeline instead of the standard resilience handler
/// (no circuit breaker shared by every receiver), no service discovery (a user URL must never resolve to an
/// Aspire service), no proxy, no redirects, and <see cref="CallbackConnector"/> as the only way to connect.
/// </summary>
public static partial class CallbackHttpClient
{
    public const string Name = "codify-callbacks";

    public static IHttpClientBuilder AddCallbackHttpClient(this IServiceCollection services)
    {
        var client = services.AddHttpClient(Name, client => client.Timeout = Timeout.InfiniteTimeSpan); // the pipeline bounds it
#pragma warning disable EXTEXP0001 // Experimental, but the documented way to drop the handler ConfigureHttpClientDefaults added.
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
        {
            // ServiceDefaults adds service discovery to every client; its handler type is internal, so match its namespace.
            foreach (var discovery in handlers.Where(IsServiceDiscovery).ToList())
            {
                handlers.Remove(discovery);
            }
        });
        client.ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = provider.GetRequiredService<CallbackConnector>().ConnectAsync,
        });
        client.AddResilienceHandler("callback-retry", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<CallbackOptions>>().Value;
            var logger = context.ServiceProvider.GetRequiredService<ILogger<CallbackDispatcher>>();
            Configure(pipeline, options, logger);
        });
        // Inside the retry handler: every attempt is signed with its own timestamp.
        return client.AddHttpMessageHandler(provider => ActivatorUtilities.CreateInstance<CallbackSigningHandler>(provider));
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, CallbackOptions options, ILogger logger)
    {
        pipeline.AddTimeout(TimeSpan.FromSeconds(options.TotalTimeoutSeconds));
        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(options.RetryDelayMs),
                MaxDelay = TimeSpan.FromSeconds(30),
                // 5xx, 408, 429 and transport failures; never a destination the SSRF guard refused.
                ShouldHandle = args => ValueTask.FromResult(
                    !IsRefusal(args.Outcome.Exception) && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    LogRetry(logger, args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode, args.RetryDelay, args.Outcome.Exception);
                    return ValueTask.CompletedTask;
                },
            });
        }

        pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
    }

    public static bool IsServiceDiscovery(DelegatingHandler handler) =>
        handler.GetType().Namespace?.StartsWith("Microsoft.Extensions.ServiceDiscovery", StringComparison.Ordinal) == true;

    public static bool IsRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is CallbackRefusedException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback attempt {Attempt} failed (HTTP {StatusCode}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, int attempt, int? statusCode, TimeSpan delay, Exception? exception);
}
