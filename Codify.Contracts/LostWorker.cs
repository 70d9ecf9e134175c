namespace Codify.Contracts;

/// <summary>The words of an execution whose Sandbox replica died while running it, whoever ends it (a surviving replica or the API).</summary>
public static class LostWorker
{
    public const string Message = "sandbox worker lost while running this execution";
}
