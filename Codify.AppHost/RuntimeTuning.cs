namespace Codify.AppHost;

internal static class RuntimeTuning
{
    /// <summary>
    /// A 4 MB gen0 budget for the services' workstation GC (its default is sized from the CPU cache: about 16 MB here).
    /// Measured (bench/scripts/gc_settings.py, issue 13): API + Sandbox idle memory 252 MB against 278 MB without it,
    /// at the same CPU per run. Only the environment can set it: the runtime reads no runtimeconfig knob for it.
    /// </summary>
    public const string Gen0Size = "0x400000";

    public static IResourceBuilder<T> WithSmallGen0<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithEnvironment
        => builder.WithEnvironment("DOTNET_GCgen0size", Gen0Size);
}
