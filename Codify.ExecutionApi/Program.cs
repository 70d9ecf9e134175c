using Codify.ExecutionApi;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Batches;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Listing;
using Codify.ExecutionApi.OpenApi;
using Codify.ExecutionApi.Piston;
using Codify.ExecutionApi.Runtimes;
using Codify.ExecutionApi.Sockets;

var builder = WebApplication.CreateBuilder(args);
builder.UseSeedAddress();
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAdmission();
app.MapDefaultEndpoints();
app.MapExecutionsApi();
app.MapExecutionListApi();
app.MapBatchApi();
app.MapRuntimesApi();
app.MapPistonApi();
app.MapApiReference();
app.MapExecutionSockets();
app.Run();
