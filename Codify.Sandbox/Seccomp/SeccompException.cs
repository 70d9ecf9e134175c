namespace Codify.Sandbox.Seccomp;

/// <summary>The seccomp filter could not be built: the caller must fail closed and run nothing.</summary>
public sealed class SeccompException : Exception
{
    public SeccompException()
    {
    }

    public SeccompException(string message)
        : base(message)
    {
    }

    public SeccompException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
