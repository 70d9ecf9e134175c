namespace Codify.ExecutionApi.Executions;

/// <summary>The words for an id that names no execution (never created, or expired), the same on every transport.</summary>
public static class ExecutionNotFound
{
    public const string Title = "Execution not found";

    public static string Detail(string id) => $"No execution with id '{id}' exists (or it has expired).";
}
