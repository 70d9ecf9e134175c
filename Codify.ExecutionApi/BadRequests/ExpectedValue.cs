using System.Collections;

namespace Codify.ExecutionApi.BadRequests;

/// <summary>A .NET type said as the JSON (or query text) a client should send for it.</summary>
public static class ExpectedValue
{
    public static string Of(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) || type.IsEnum => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong) => "an integer",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when typeof(IEnumerable).IsAssignableFrom(type) && !typeof(IDictionary).IsAssignableFrom(type) => "an array",
            _ => "an object",
        };
    }

    /// <summary>A parameter type as the framework's binding message spells it, e.g. <c>Nullable&lt;int&gt;</c> or <c>bool</c>.</summary>
    public static string Of(string typeName)
    {
        var inner = typeName.StartsWith("Nullable<", StringComparison.Ordinal) ? typeName[9..^1] : typeName.TrimEnd('?');
        return inner switch
        {
            "bool" or "Boolean" => "true or false",
            "int" or "long" or "short" or "Int32" or "Int64" or "Int16" => "an integer",
            "double" or "float" or "decimal" or "Double" or "Single" or "Decimal" => "a number",
            _ => $"a value of type {inner}",
        };
    }
}
