using Codify.ExecutionApi.Intake;

namespace Codify.ExecutionApi.Sessions;

/// <summary>Carries a session's own outcome back through <see cref="ExecutionIntake.AdmitAsync"/> once the intake admitted the request.</summary>
internal sealed record SessionAdmitted(SessionOutcome Outcome) : IntakeOutcome;
