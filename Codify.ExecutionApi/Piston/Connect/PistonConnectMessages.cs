using System.Text.Json.Serialization;

namespace Codify.ExecutionApi.Piston.Connect;

/// <summary>
/// What a client sends on <c>/api/v2/connect</c>: <c>init</c> (the fields of <see cref="PistonExecuteRequest"/> next to
/// <c>type</c>), <c>data</c> (<c>stream</c> "stdin", <c>data</c>) and <c>signal</c> (<c>signal</c>, e.g. "SIGKILL").
/// </summary>
public sealed record PistonClientMessage
{
    public string? Type { get; init; }

    public string? Stream { get; init; }

    public string? Data { get; init; }

    /// <summary>Codify's addition to <c>data</c>: close the program's stdin after it (Piston has no way to send end-of-file).</summary>
    public bool? Eof { get; init; }

    public string? Signal { get; init; }
}

/// <summary>A message of the server; <see cref="Type"/> says which.</summary>
public abstract record PistonServerMessage([property: JsonPropertyOrder(-1)] string Type);

/// <summary>After a valid <c>init</c>: the runtime that will run, and (Codify's addition) the execution's id for <c>GET /api/execute/{id}</c>.</summary>
public sealed record PistonRuntimeMessage(string Language, string Version, string ExecutionId) : PistonServerMessage("runtime");

/// <summary>The run stage has started (Python and JavaScript have no compile stage).</summary>
public sealed record PistonStageMessage(string Stage) : PistonServerMessage("stage");

/// <summary>A chunk of the program's <c>stdout</c> or <c>stderr</c>, as it was written.</summary>
public sealed record PistonDataMessage(string Stream, string Data) : PistonServerMessage("data");

/// <summary>
/// The stage ended: <see cref="Code"/> or the <see cref="Signal"/> that ended it (both sent, the other null, as Piston
/// does). <see cref="Status"/> and <see cref="Message"/> are Codify's additions, as in <c>run</c> of <c>/api/v2/execute</c>.
/// </summary>
public sealed record PistonExitMessage(
    string Stage,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Signal,
    string? Status,
    string? Message) : PistonServerMessage("exit");

/// <summary>Why the connection is about to close (it closes with 4002 "Notified Error" right after, as in Piston).</summary>
public sealed record PistonErrorMessage(string Message) : PistonServerMessage("error");
