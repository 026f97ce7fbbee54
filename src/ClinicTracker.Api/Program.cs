using ClinicTracker.Api.Adherence;
using ClinicTracker.Api.Clinicians;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Health;
using ClinicTracker.Api.Doses;
using ClinicTracker.Api.Patients;
using ClinicTracker.Api.Plans;
using ClinicTracker.Api.Sessions;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Dosing;
using FluentValidation;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.Services.Configure<JsonOptions>(o => JsonSetup.Configure(o.SerializerOptions));
// Binding failures throw so ApiExceptionHandler can name the field in a 400 problem.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDefaults.Apply);
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddValidatorsFromAssemblyContaining<Program>(includeInternalTypes: true);
ValidationSetup.Configure();
builder.Services.AddSingleton<QueryValues>();
builder.Services.AddClinicDatabase();
builder.Services.AddOptions<PlanOptions>().BindConfiguration("Plans");
builder.Services.AddOptions<DoseLimitsOptions>().BindConfiguration(DoseLimitsOptions.Section).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<DoseLimitsOptions>, DoseLimitsValidation>();
builder.Services.AddOptions<AdherenceOptions>().BindConfiguration(AdherenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<IdempotencyCleanup>();
builder.Services.AddClinicAuthorization();
builder.Services.AddClinicOpenApi();

var app = builder.Build();

if (args.Contains("migrate", StringComparer.OrdinalIgnoreCase))
{
    // Admin command: `dotnet run --project src/ClinicTracker.Api -- migrate` applies pending migrations and exits.
    await DatabaseSetup.MigrateAsync(app.Services);
    app.Logger.LogInformation("Database migrated.");
    return 0;
}

if (app.Configuration.GetValue("Database:MigrateOnStartup", defaultValue: true))
{
    await DatabaseSetup.MigrateAsync(app.Services);
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSwagger();
app.UseSwaggerUI(o => o.DocumentTitle = "ClinicTracker API");
app.UseAuthentication();
app.UseAuthorization();

app.MapHealth();
app.MapClinicians();
app.MapPatients();
app.MapPlans();
app.MapSessions();
app.MapDoses();
app.MapAdherence();

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
    {
        app.Logger.LogInformation("Swagger UI: {SwaggerUrl}/swagger", url);
    }
});

await app.RunAsync();
return 0;

/// <summary>The API's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
