namespace Codify.Contracts.Sessions;

/// <summary>Field names of the session hash (<see cref="RedisKeys.Session"/>), shared by the API and the Sandbox.</summary>
public static class SessionFields
{
    public const string Status = "status";
    public const string Language = "language";
    public const string Limits = "limits";
    public const string Client = "client";
    public const string CreatedAt = "createdAt";
    public const string ExpiresAt = "expiresAt";
    public const string IdleTimeoutSeconds = "idleTimeoutSeconds";
    public const string LastActivityAt = "lastActivityAt";
    public const string EndReason = "endReason";

    /// <summary>The consumer name of the Sandbox replica that holds the session's sandbox.</summary>
    public const string Replica = "replica";

    /// <summary>The execution id of the cell under way (absent when none): one cell at a time.</summary>
    public const string Cell = "cell";

    /// <summary>Until when (unix ms) <see cref="Cell"/> holds the session even if nobody clears it (its wall limit plus slack).</summary>
    public const string CellUntil = "cellUntil";

    public const string Cells = "cells";
}
