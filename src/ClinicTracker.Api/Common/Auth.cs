using System.Security.Claims;
using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Common;

/// <summary>Role claim values of domain.md §9, exactly as tokens carry them.</summary>
public static class Roles
{
    public const string FrontDesk = "front-desk";
    public const string Nurse = "nurse";
    public const string Prescriber = "prescriber";
    public const string Admin = "admin";
    public const string Integrator = "integrator";

    public static string Of(StaffRole role) => role switch
    {
        StaffRole.FrontDesk => FrontDesk,
        StaffRole.Nurse => Nurse,
        StaffRole.Prescriber => Prescriber,
        StaffRole.Admin => Admin,
        StaffRole.Integrator => Integrator,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}

/// <summary>
/// The authorization matrix: every route names one of these policies, and each policy is the set of
/// roles of domain.md §9 / api-outline.md allowed to call it.
/// </summary>
public static class Policies
{
    /// <summary>Staff directory reads: every staff role.</summary>
    public const string Staff = "staff";

    /// <summary>Reading patient records: staff and read-only integrators.</summary>
    public const string RecordReader = "record-reader";

    /// <summary>Patient demographics writes: front desk and clinical staff (admins make no clinical writes).</summary>
    public const string PatientWriter = "patient-writer";

    /// <summary>Clinician registry writes, configuration and audit.</summary>
    public const string Admin = "admin";

    /// <summary>Scheduling, cancelling and no-shows: the front desk and clinical staff.</summary>
    public const string Scheduler = "scheduler";

    /// <summary>Clinical writes within limits: check-in, doses, waste, observations (nurses and prescribers).</summary>
    public const string Clinical = "clinical";

    /// <summary>Plans, overrides, voiding doses, acknowledging safety flags.</summary>
    public const string Prescriber = "prescriber";

    /// <summary>Clinic-wide reports across patients (e.g. adherence below a threshold): prescribers and admins.</summary>
    public const string ReportReader = "report-reader";

    public static readonly IReadOnlyDictionary<string, string[]> Matrix = new Dictionary<string, string[]>
    {
        [Staff] = [Roles.FrontDesk, Roles.Nurse, Roles.Prescriber, Roles.Admin],
        [RecordReader] = [Roles.FrontDesk, Roles.Nurse, Roles.Prescriber, Roles.Admin, Roles.Integrator],
        [PatientWriter] = [Roles.FrontDesk, Roles.Nurse, Roles.Prescriber],
        [Admin] = [Roles.Admin],
        [Scheduler] = [Roles.FrontDesk, Roles.Nurse, Roles.Prescriber],
        [Clinical] = [Roles.Nurse, Roles.Prescriber],
        [Prescriber] = [Roles.Prescriber],
        [ReportReader] = [Roles.Prescriber, Roles.Admin],
    };

    /// <summary>
    /// Policies whose routes write to the clinical record: the acting user must also be an active clinician
    /// in the registry (the admin registry itself is exempt, or no first clinician could ever be added).
    /// </summary>
    public static readonly IReadOnlySet<string> RequireRegisteredClinician = new HashSet<string> { PatientWriter, Scheduler, Clinical, Prescriber };

    public static IServiceCollection AddClinicAuthorization(this IServiceCollection services)
    {
        // Reads Authentication:Schemes:Bearer (the convention `dotnet user-jwts` writes to).
        services.AddAuthentication().AddJwtBearer();
        var builder = services.AddAuthorizationBuilder();
        foreach (var (policy, roles) in Matrix)
        {
            builder.AddPolicy(policy, p =>
            {
                p.RequireAuthenticatedUser().RequireRole(roles);
                if (RequireRegisteredClinician.Contains(policy))
                {
                    p.AddRequirements(new RegisteredClinicianRequirement());
                }
            });
        }

        services.AddScoped<IAuthorizationHandler, RegisteredClinicianHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    /// <summary>The acting user's name from the token; every write is attributed to it.</summary>
    public static string UserName(this ClaimsPrincipal user) =>
        user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub")
        ?? throw new InvalidOperationException("The authenticated token carries no user name.");
}

/// <summary>The acting user is an active clinician in the registry (issue: who acts).</summary>
public sealed class RegisteredClinicianRequirement : IAuthorizationRequirement;

/// <summary>Looks the token's user up in the registry on every clinical write, so a deactivation takes effect at once.</summary>
public sealed class RegisteredClinicianHandler(ClinicDbContext db) : AuthorizationHandler<RegisteredClinicianRequirement>
{
    public const string Code = "clinician.not-registered";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RegisteredClinicianRequirement requirement)
    {
        var name = context.User.Identity?.Name;
        var normalized = name is null ? null : SearchText.Normalize(name);
        if (normalized is not null && await db.Clinicians.AnyAsync(c => c.UserNameNormalized == normalized && c.Active))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, Code));
        }
    }
}

/// <summary>Turns a registry refusal into a 403 problem with its own code; other outcomes are handled as usual.</summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            // A refused attempt on a record is part of the trail too (who tried what, with what outcome).
            await context.RequestServices.GetRequiredService<Auditing.AuditTrail>().AppendAloneAsync(
                context.RequestServices.GetRequiredService<ClinicDbContext>(), context, StatusCodes.Status403Forbidden);
        }

        var roleOk = !authorizeResult.Forbidden || authorizeResult.AuthorizationFailure?.FailedRequirements
            .All(r => r is RegisteredClinicianRequirement) == true;
        if (authorizeResult.Forbidden && roleOk &&
            authorizeResult.AuthorizationFailure!.FailureReasons.Any(r => r.Message == RegisteredClinicianHandler.Code))
        {
            await Problems.Create(StatusCodes.Status403Forbidden, RegisteredClinicianHandler.Code,
                "You are not an active clinician in the registry.",
                "Clinical writes are attributed to a registered, active clinician; ask an admin to add or reactivate your user name.")
                .ExecuteAsync(context);
            return;
        }

        await fallback.HandleAsync(next, context, policy, authorizeResult);
    }

}
