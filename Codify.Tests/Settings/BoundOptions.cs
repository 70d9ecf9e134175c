using System.Reflection;
using Codify.ExecutionApi;
using Codify.Sandbox;

namespace Codify.Tests.Settings;

/// <summary>Every options class a service binds, found by its <c>Section</c> constant, with the service that reads it.</summary>
public static class BoundOptions
{
    public const string Api = "API";
    public const string Sandbox = "Sandbox";

    /// <summary>Options of the service defaults, which every service reads (the Redis client's timeouts).</summary>
    public const string Both = "API, Sandbox";

    public static IEnumerable<(Type Type, string Section, string Service)> All() =>
        Of(typeof(ApiMarker).Assembly, Api).Concat(Of(typeof(SandboxMarker).Assembly, Sandbox))
            .Concat(Of(typeof(Codify.Hosting.CodifyTelemetry).Assembly, Both))
            .OrderBy(o => o.Service, StringComparer.Ordinal).ThenBy(o => o.Section, StringComparer.Ordinal).ThenBy(o => o.Type.Name, StringComparer.Ordinal);

    /// <summary>The top-level configuration sections one service reads.</summary>
    public static IEnumerable<string> TopSections(string service) =>
        All().Where(o => o.Service == service || o.Service == Both).Select(o => o.Section.Split(':')[0]).Distinct().Order(StringComparer.Ordinal);

    private static IEnumerable<(Type Type, string Section, string Service)> Of(Assembly assembly, string service) =>
        from type in assembly.GetTypes()
        where type.Name.EndsWith("Options", StringComparison.Ordinal)
        let field = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)
        where field is { IsLiteral: true }
        select (type, (string)field.GetRawConstantValue()!, service);
}
