namespace Codify.Sandbox;

/// <summary>How python runs start (Sandbox:Mode). Node always uses the warm pool or starts cold: forking a running V8 is unsafe.</summary>
public enum SandboxMode
{
    /// <summary>Python runs fork from a preloaded fork server (ForkServer/); what it cannot serve goes to the pool, then cold.</summary>
    ForkServer,

    /// <summary>Runs take a pre-started single-use sandbox (Pool/), else start cold.</summary>
    Pool,

    /// <summary>Every run starts its own sandbox (Cold/); no warm sandbox or fork server is kept.</summary>
    Cold,
}
