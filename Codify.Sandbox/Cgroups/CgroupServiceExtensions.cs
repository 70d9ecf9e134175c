using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Cgroups;

public static partial class CgroupServiceExtensions
{
    /// <summary>
    /// Registers <see cref="CgroupDetection"/> and <see cref="ICgroupDriver"/>, detected once from this host. On a host
    /// without usable cgroups the driver is <see cref="UnavailableCgroupDriver"/>: every Create throws (fail closed).
    /// </summary>
    public static IServiceCollection AddCgroupDriver(this IServiceCollection services)
    {
        services.AddOptions<CgroupOptions>()
            .BindConfiguration(CgroupOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Codify.Sandbox.Cgroups");
            var detection = CgroupDetector.Detect(sp.GetRequiredService<IOptions<CgroupOptions>>().Value, logger);
            if (detection.IsAvailable)
            {
                LogDetected(logger, detection.Driver.Version, detection.Reason);
            }
            else
            {
                LogUnavailable(logger, detection.Reason);
            }

            return detection;
        });
        services.AddSingleton(sp => sp.GetRequiredService<CgroupDetection>().Driver);
        return services;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "cgroup driver {Version}: {Reason}")]
    private static partial void LogDetected(ILogger logger, string version, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "no usable cgroups, every run will be refused: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
