namespace Codify.ExecutionApi.Interactive;

/// <summary>Body of <c>POST /api/execute/{id}/stdin</c>: text for the program's standard input; <c>eof</c> closes it afterwards.</summary>
public sealed record StdinRequest(string? Data, bool Eof = false);

/// <summary>Answer to an accepted chunk.</summary>
public sealed record StdinResponse(string ExecutionId, bool Eof);
