namespace Codify.Contracts.Sessions;

/// <summary>One regular file of a session's work dir: its path relative to the work dir and its size in bytes.</summary>
public sealed record SessionFile(string Path, long Size);
