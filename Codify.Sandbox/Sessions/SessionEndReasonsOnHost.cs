namespace Codify.Sandbox.Sessions;

/// <summary>The reasons only the replica can tell a session ended for (the shared ones are in Contracts' SessionEndReasons).</summary>
internal static class SessionEndReasonsOnHost
{
    public const string DidNotStop = "a cell passed its limit and did not stop when interrupted: the session's interpreter was killed";
    public const string OutOfMemory = "the session's memory limit was reached: its interpreter was killed";
}
