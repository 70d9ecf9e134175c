using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox.Registration;

/// <summary>How long a replica stays registered after its heartbeat stops. Section "Sandbox:Registration".</summary>
public sealed class RegistrationOptions
{
    public const string Section = "Sandbox:Registration";

    /// <summary>
    /// A replica silent this long is dropped from the registry by the next replica that beats; until then the API lists it
    /// as unhealthy ("no heartbeat for N s"), so a crashed replica is visible, not just missing.
    /// </summary>
    [Range(60, 7 * 24 * 3600)]
    public int ForgetAfterSeconds { get; set; } = 3600;
}
