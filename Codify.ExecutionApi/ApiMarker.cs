namespace Codify.ExecutionApi;

/// <summary>Marker for WebApplicationFactory: the test project sees two top-level Program classes.</summary>
public sealed class ApiMarker;
