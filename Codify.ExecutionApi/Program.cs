using Codify.ExecutionApi;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Executions;

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
app.Run();
