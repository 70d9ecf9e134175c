using System.Runtime.Versioning;

// The Sandbox relies on Linux namespaces, cgroups and seccomp; it has no meaning elsewhere.
[assembly: SupportedOSPlatform("linux")]

namespace Codify.Sandbox;

/// <summary>Marker for WebApplicationFactory: the test project sees two top-level Program classes.</summary>
public sealed class SandboxMarker;
