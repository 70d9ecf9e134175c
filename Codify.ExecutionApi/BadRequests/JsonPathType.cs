using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Codify.ExecutionApi.BadRequests;

/// <summary>
/// The .NET type a JSON path (as <see cref="System.Text.Json.JsonException.Path"/> spells it, e.g. <c>$.executions[1].code</c>)
/// lands on inside <c>root</c>; needed because the exception names the declaring type for constructor-bound records.
/// </summary>
public static partial class JsonPathType
{
    public static Type? Resolve(Type root, string path)
    {
        Type? current = root;
        foreach (Match step in Steps().Matches(path))
        {
            current = step.Groups["index"].Success ? ElementOf(current!) : PropertyOf(current!, step.Groups["name"].Value);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private static Type? PropertyOf(Type type, string jsonName) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .FirstOrDefault(p => string.Equals(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, jsonName, StringComparison.OrdinalIgnoreCase))
        ?.PropertyType;

    private static Type? ElementOf(Type type) => type.IsArray
        ? type.GetElementType()
        : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0];

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<name>[^']+)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Steps();
}
