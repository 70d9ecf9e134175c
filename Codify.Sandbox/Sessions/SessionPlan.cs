using Codify.Contracts;

namespace Codify.Sandbox.Sessions;

/// <summary>What the session's record in Redis says it is: its language, limits and lifetimes.</summary>
internal sealed record SessionPlan(string Id, LanguageInfo Language, ExecutionLimits Limits, TimeSpan IdleTimeout, DateTimeOffset ExpiresAt);
