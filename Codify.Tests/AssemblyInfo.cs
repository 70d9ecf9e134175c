using System.Runtime.Versioning;

// The suite drives real bubblewrap, cgroups and Debian interpreters: it is Linux-only, like the Sandbox.
[assembly: SupportedOSPlatform("linux")]
