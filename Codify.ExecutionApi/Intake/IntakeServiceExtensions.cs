namespace Codify.ExecutionApi.Intake;

public static class IntakeServiceExtensions
{
    public static IServiceCollection AddExecutionIntake(this IServiceCollection services) => services
        .AddSingleton<ExecutionBudget>()
        .AddSingleton<RequestJudge>()
        .AddSingleton<SandboxAvailability>()
        .AddSingleton<ExecutionIntake>();
}
