using ClinicTracker.Api.Adherence;
using ClinicTracker.Api.Auditing;
using ClinicTracker.Api.Clinicians;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Demo;
using ClinicTracker.Api.Health;
using ClinicTracker.Api.Monitoring;
using ClinicTracker.Api.Doses;
using ClinicTracker.Api.Fhir;
using ClinicTracker.Api.Fhir.Export;
using ClinicTracker.Api.Outcomes;
using ClinicTracker.Api.Patients;
using ClinicTracker.Api.Plans;
using ClinicTracker.Api.Reports;
using ClinicTracker.Api.Sessions;
using ClinicTracker.Api.Sites;
using ClinicTracker.Api.Stock;
using ClinicTracker.Api.Telemetry;
using ClinicTracker.Api.Webhooks;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Stock;
using FluentValidation;
using Microsoft.AspNetCore.Http.Json;

var builder = WebApplication.CreateBuilder(args);
// Development only: `-- seed-demo [--force]` fills the database with a demo clinic through this API's endpoints (ADR 0023).
var demo = DemoSeedCommand.From(builder, args);
if (demo?.RefuseOutsideDevelopment(builder.Environment) is { } refused)
{
    return refused;
}

builder.Services.Configure<JsonOptions>(o => JsonSetup.Configure(o.SerializerOptions));
// Binding failures throw so ApiExceptionHandler can name the field in a 400 problem.
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
// The FHIR problem writer registers first, so /fhir errors are OperationOutcomes (FhirSetup).
builder.Services.AddClinicFhir();
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDefaults.Apply);
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddValidatorsFromAssemblyContaining<Program>(includeInternalTypes: true);
ValidationSetup.Configure();
builder.Services.AddSingleton<QueryValues>();
builder.Services.AddClinicDatabase();
builder.Services.AddOptions<PlanOptions>().BindConfiguration("Plans");
builder.Services.AddClinicalOptions<DoseLimitsOptions>(DoseLimitsOptions.Section);
builder.Services.AddClinicalOptions<MonitoringOptions>(MonitoringOptions.Section);
builder.Services.AddClinicalOptions<AdherenceOptions>(AdherenceOptions.Section);
builder.Services.AddClinicalOptions<OutcomeOptions>(OutcomeOptions.Section);
builder.Services.AddClinicalOptions<StockOptions>(StockOptions.Section);
builder.Services.AddHostedService<IdempotencyCleanup>();
builder.Services.AddClinicAuthorization();
builder.Services.AddClinicSecurity(builder.Configuration);
builder.Services.AddSingleton<WriterGate>();
builder.Services.AddSingleton<AuditBatcher>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditBatcher>());
builder.Services.AddSingleton<AdherenceSummaryRefresh>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<AdherenceSummaryRefresh>());
builder.Services.AddSingleton<FhirExportWorker>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<FhirExportWorker>());
builder.Services.AddSingleton<AuditTrail>();
builder.Services.AddClinicWebhooks();
builder.Services.AddClinicOpenApi();
// Spans and metrics, no patient data in either; exported over OTLP only when an endpoint is set (docs/integrators.md, Telemetry).
builder.Services.AddClinicTelemetry(builder.Configuration);

var app = builder.Build();

// Clinical and database settings are checked before anything else happens, the migration included.
ClinicalOptions.CheckAll(app.Services);
DatabaseSetup.CheckConfiguration(app.Configuration);

if (args.Contains("migrate", StringComparer.OrdinalIgnoreCase))
{
    // Admin command: `dotnet run --project src/ClinicTracker.Api -- migrate` applies pending migrations and exits.
    await DatabaseSetup.MigrateAsync(app.Services);
    app.Logger.LogInformation("Database migrated.");
    return 0;
}

SecuritySetup.RequireTokenValidation(app.Configuration, app.Environment);
if (app.Configuration.GetValue("Database:MigrateOnStartup", defaultValue: true))
{
    await DatabaseSetup.MigrateAsync(app.Services);
}

app.UseRequestLogging();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseRequestBodyLimit();
app.UseQueryLimits();
app.UseSwagger();
app.UseSwaggerUI(o =>
{
    o.DocumentTitle = "ClinicTracker API";
    o.SwaggerEndpoint("/swagger/v1/swagger.json", "ClinicTracker API v1");
});
app.UseCors(SecuritySetup.CorsPolicy);
app.UseAuthentication();
// Between authentication (the partition is the user) and authorization, so refused calls count too.
app.UseRateLimiter();
app.UseAuthorization();

app.MapHealth();
// Every API route runs inside record keeping: audit trail, idempotency, one transaction per write.
var api = app.MapGroup("").WithRecordKeeping();
api.MapSites();
api.MapClinicians();
api.MapPatients();
api.MapPatientSites();
api.MapPlans();
api.MapSessions();
api.MapScheduleCalendar();
api.MapDoses();
api.MapStock();
api.MapMonitoring();
api.MapAdherence();
api.MapOutcomes();
api.MapReports();
api.MapAudit();
api.MapFhir();
api.MapWebhooks();

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
    {
        app.Logger.LogInformation("Swagger UI: {SwaggerUrl}/swagger", url);
    }
});

if (demo is not null)
{
    return await demo.RunAsync(app, Console.Out);
}

await app.RunAsync();
return 0;

/// <summary>The API's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
