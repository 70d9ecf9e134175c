using System.Text.Json;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// One frame from a session's kernel: <c>ready</c>, <c>out</c> (s = stdout|stderr, d = text), <c>done</c> (exit, outputs) or
/// <c>reply</c> (a file operation's answer). The kernel shares its process with the program, so every field is read
/// defensively: a forged or malformed frame can mislead only its own session, never throw in the service.
/// </summary>
internal sealed record KernelFrame(string Type, JsonElement Body)
{
    public string? Text(string name) =>
        Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public long? Number(string name) =>
        Body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;
}
