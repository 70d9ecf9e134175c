namespace Codify.ExecutionApi.Runtimes;

public static class RuntimeServiceExtensions
{
    public static IHostApplicationBuilder AddRuntimes(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RuntimeOptions>()
            .BindConfiguration(RuntimeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RuntimeCatalog>();
        builder.Services.AddSingleton<RuntimeVersionCheck>();
        return builder;
    }
}
