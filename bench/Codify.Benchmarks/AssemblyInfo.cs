using System.Runtime.Versioning;

// Measures the Linux sandbox (namespaces, cgroups, seccomp): Linux only.
[assembly: SupportedOSPlatform("linux")]
