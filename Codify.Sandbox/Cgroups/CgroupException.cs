namespace Codify.Sandbox.Cgroups;

/// <summary>A cgroup could not be created or limited: the run must not start (fail closed).</summary>
public sealed class CgroupException : Exception
{
    public CgroupException()
    {
    }

    public CgroupException(string message)
        : base(message)
    {
    }

    public CgroupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
