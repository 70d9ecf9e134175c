using Codify.ExecutionApi;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Apis;
using Codify.ExecutionApi.Mcp;
using Codify.ExecutionApi.OpenApi;
using Codify.ExecutionApi.Piston;
using Codify.ExecutionApi.Playground;
using Codify.ExecutionApi.Sockets;

var builder = WebApplication.CreateBuilder(args);
builder.UseSeedAddress();
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAdmission();
app.UseExecutionWebSockets();

app.MapDefaultEndpoints();
app.MapExecutionsApi();
app.MapSessionsApi();
app.MapRuntimesApi();
app.MapPistonApi();
app.MapHealthApi();
app.MapStatsApi();
app.MapSocketApi();
app.MapCodifyMcp();
app.MapPlaygroundApi();
app.MapApiReference();
app.AnnouncePlayground();
app.Run();
