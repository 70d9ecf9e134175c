using System.Text.Json;
using Codify.Contracts;

namespace Codify.ExecutionApi.Piston.Connect;

/// <summary>Reads the envelope of one client message (its <c>type</c>, <c>stream</c>, <c>data</c>, <c>signal</c>); an <c>init</c>'s other fields are read by <see cref="PistonRequestReader"/>.</summary>
public static class PistonClientMessages
{
    public static (PistonClientMessage? Message, string? Error) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "A message must be a JSON object with a \"type\": init, data or signal.");
        }

        try
        {
            return (root.Deserialize<PistonClientMessage>(CodifyJson.Options), null);
        }
        catch (JsonException e)
        {
            return (null, $"{e.Path?.TrimStart('$', '.')} has the wrong type");
        }
    }
}
