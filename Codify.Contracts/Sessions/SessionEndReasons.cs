namespace Codify.Contracts.Sessions;

/// <summary>The words of <see cref="SessionInfo.EndReason"/>, whoever ends the session (the API or its replica).</summary>
public static class SessionEndReasons
{
    public const string Closed = "closed by the client";
    public const string ReplicaLost = "sandbox replica lost: the replica that held the session stopped sending heartbeats";
    public const string ReplicaStopped = "sandbox replica stopped";
    public const string Lifetime = "maximum lifetime reached (Sessions:MaxLifetimeSeconds)";
    public const string KernelExited = "the session's interpreter exited";

    public static string Idle(int seconds) => $"idle for {seconds} s (idleTimeoutSeconds)";
}
