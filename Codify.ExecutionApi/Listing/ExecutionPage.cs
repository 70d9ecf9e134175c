using Codify.Contracts;

namespace Codify.ExecutionApi.Listing;

/// <summary>
/// One page of executions, newest first. <see cref="NextCursor"/> continues the listing (absent on the last page);
/// <see cref="NotFound"/> lists requested ids that do not exist or have expired.
/// </summary>
public sealed record ExecutionPage(IReadOnlyList<ExecutionRecord> Items, string? NextCursor = null, IReadOnlyList<string>? NotFound = null);
