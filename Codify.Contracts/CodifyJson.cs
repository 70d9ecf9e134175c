using System.Text.Json;
using System.Text.Json.Serialization;

namespace Codify.Contracts;

/// <summary>The JSON shape used in Redis and on the wire: camelCase, nulls omitted.</summary>
public static class CodifyJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
