using Codify.ExecutionApi;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.OpenApi;
using Codify.ExecutionApi.Piston;
using Codify.ExecutionApi.Runtimes;

var builder = WebApplication.CreateBuilder(args);
builder.UseSeedAddress();
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapExecutionsApi();
app.MapRuntimesApi();
app.MapPistonApi();
app.MapApiReference();
app.Run();
