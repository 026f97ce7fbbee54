using System.Security.Claims;
using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Common;
using ClinicTracker.Api.Sites;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Sites;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

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

    /// <summary>The role a claim value names, if it is one of domain.md §9's.</summary>
    public static StaffRole? Parse(string value) => value switch
    {
        FrontDesk => StaffRole.FrontDesk,
        Nurse => StaffRole.Nurse,
        Prescriber => StaffRole.Prescriber,
        Admin => StaffRole.Admin,
        Integrator => StaffRole.Integrator,
        _ => null,
    };

    /// <summary>The roles that count only where the staff register grants them (domain.md §9); admin is not one.</summary>
    public static readonly IReadOnlySet<string> Registered =
        Enum.GetValues<StaffRole>().Where(RoleCeiling.NeedsRegisterEntry).Select(Of).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// The authorization matrix: every route names one of these policies, and each policy is the set of
/// roles of domain.md §9 allowed to call it. The roles are those left after <see cref="StaffRegisterCeiling"/>:
/// a token's role counts only where the staff register grants it (admin: where the identity provider does).
/// </summary>
public static class Policies
{
    /// <summary>The staff register (who is who, who may witness): every staff role.</summary>
    public const string Staff = "staff";

    /// <summary>Demographics and scheduling: patients, plans without their dose, schedules, the session list (domain.md §9).</summary>
    public const string DemographicsReader = "demographics-reader";

    /// <summary>Clinical reads: doses, waste, observations, adverse events, assessments, outcomes, flags, session detail, adherence.</summary>
    public const string ClinicalReader = "clinical-reader";

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

    /// <summary>The group's sites (domain.md §14): every staff member and integrator reads them; admins write them.</summary>
    public const string SiteReader = "site-reader";

    /// <summary>Controlled-substance lots, counts and discrepancies (domain.md §12): who keeps the stock, and admins who oversee it. No patient data.</summary>
    public const string StockReader = "stock-reader";

    public static readonly IReadOnlyDictionary<string, string[]> Matrix = new Dictionary<string, string[]>
    {
        [Staff] = [Roles.FrontDesk, Roles.Nurse, Roles.Prescriber, Roles.Admin],
        // Admins read no patient record (domain.md §9), demographics included: see docs/security.md.
        [DemographicsReader] = [Roles.FrontDesk, Roles.Nurse, Roles.Prescriber, Roles.Integrator],
        [ClinicalReader] = [Roles.Nurse, Roles.Prescriber, Roles.Integrator],
        [PatientWriter] = [Roles.FrontDesk, Roles.Nurse, Roles.Prescriber],
        [Admin] = [Roles.Admin],
        [Scheduler] = [Roles.FrontDesk, Roles.Nurse, Roles.Prescriber],
        [Clinical] = [Roles.Nurse, Roles.Prescriber],
        [Prescriber] = [Roles.Prescriber],
        [ReportReader] = [Roles.Prescriber, Roles.Admin],
        [SiteReader] = [Roles.FrontDesk, Roles.Nurse, Roles.Prescriber, Roles.Admin, Roles.Integrator],
        [StockReader] = [Roles.Nurse, Roles.Prescriber, Roles.Admin],
    };

    /// <summary>The signature algorithms a token may use (RFC 8725 §3.1): HMAC for shared keys, RSA and ECDSA for identity providers.</summary>
    public static readonly string[] TokenAlgorithms =
    [
        SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512,
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>Token lifetime tolerance: an expired token stops working at most this long after its expiry.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddClinicAuthorization(this IServiceCollection services)
    {
        // Reads Authentication:Schemes:Bearer (the convention `dotnet user-jwts` writes to).
        services.AddAuthentication().AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .PostConfigure<IHostEnvironment, IConfiguration>((options, environment, configuration) =>
            {
                // The library's default is 5 minutes: a token expired 4 minutes ago would still work.
                options.TokenValidationParameters.ClockSkew = ClockSkew;
                // RFC 8725 §3.1: the algorithms are an allow-list of signatures, never `none` or an unlisted one.
                options.TokenValidationParameters.ValidAlgorithms = TokenAlgorithms;
                if (environment.IsDevelopment())
                {
                    // `dotnet user-jwts` keys minted after the API started count at once (README order).
                    DevelopmentSigningKeys.Attach(options.TokenValidationParameters,
                        configuration["Authentication:DevelopmentSigningKeysFile"] ?? DevelopmentSigningKeys.UserSecretsFile());
                }
            });

        // Scoped: one register lookup per request, on the request's DbContext.
        services.AddScoped<IClaimsTransformation, StaffRegisterCeiling>();
        var builder = services.AddAuthorizationBuilder();
        foreach (var (policy, roles) in Matrix)
        {
            builder.AddPolicy(policy, p => p.RequireAuthenticatedUser().AddRequirements(new StaffRoleRequirement(roles)));
        }

        services.AddSingleton<IAuthorizationHandler, StaffRoleHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }

    /// <summary>The acting user's name from the token; every write is attributed to it.</summary>
    public static string UserName(this ClaimsPrincipal user) =>
        user.UserNameOrNull() ?? throw new InvalidOperationException("The authenticated token carries no user name.");

    internal static string? UserNameOrNull(this ClaimsPrincipal user) =>
        user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub");

    /// <summary>
    /// Whether the caller may see clinical data (domain.md §9): routes the front desk may call answer it
    /// without the clinical fields (dose summaries, target doses, safety-flag counts, vitals).
    /// </summary>
    public static bool ReadsClinicalData(this ClaimsPrincipal user) => Matrix[ClinicalReader].Any(user.IsInRole);
}

/// <summary>
/// domain.md §9, the staff register is the ceiling: replaces the token's role claims by the roles that count.
/// A front-desk, nurse, prescriber or integrator claim counts only when the register has an active entry for
/// the token's user with that role; admin comes from the identity provider alone (an empty register must be
/// fillable). The register is read on every request, so a deactivation or role change applies to the next one.
/// Everything downstream (policies, <c>IsInRole</c> inside routes, the audit trail's roles) sees only these roles.
/// The same read gives the caller's sites (domain.md §14): they become the scope of the request's context, so every
/// query of the request sees only those sites' records and <see cref="SiteAccess"/> knows which sites the caller may name (ADR 0015). An inactive or
/// missing entry gives no site, except that an admin without an entry (the identity provider's admin, who fills an
/// empty register) works at the default site the migration made, so a single clinic notices nothing.
/// </summary>
public sealed class StaffRegisterCeiling(ClinicDbContext db) : IClaimsTransformation
{
    /// <summary>A role the token claimed, kept beside the roles that count so a refusal can say why.</summary>
    public const string ClaimedRoleType = "clinictracker:claimed-role";

    /// <summary>The token user's register entry: <see cref="Active"/>, <see cref="Inactive"/> or <see cref="Absent"/>.</summary>
    public const string RegisterEntryType = "clinictracker:register-entry";

    public const string Active = "active";
    public const string Inactive = "inactive";
    public const string Absent = "absent";

    private static readonly HashSet<string> OwnClaimTypes = [ClaimedRoleType, RegisterEntryType];

    private (ClaimsPrincipal Token, ClaimsPrincipal Ceiled, SiteScope Sites)? done;

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity)
        {
            return principal;
        }

        // Authentication may run more than once in a request, and may hand back what this ceiling returned; the
        // register is read once. Whether a principal was ceiled is known by reference, never from its claims: a
        // token cannot claim to have been ceiled already.
        if (done is { } previous && (ReferenceEquals(previous.Token, principal) || ReferenceEquals(previous.Ceiled, principal)))
        {
            db.ScopeTo(previous.Sites);
            return previous.Ceiled;
        }

        var claimed = identity.FindAll(identity.RoleClaimType).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        var claimedRoles = claimed.Select(Roles.Parse).OfType<StaffRole>().ToHashSet();
        RegisterEntry? entry = null;
        SiteScope sites = SiteScope.None;
        if (claimedRoles.Count > 0 && principal.UserNameOrNull() is { } name)
        {
            var normalized = SearchText.Normalize(name);
            var row = await db.Clinicians.AsNoTracking().TagWith(Auditing.AuditTrail.RecordKeepingTag).Where(c => c.UserNameNormalized == normalized)
                .Select(c => new { c.Role, c.Active, c.AllSites, Sites = c.Sites.Select(s => s.SiteId).ToList() }).FirstOrDefaultAsync();
            entry = row is null ? null : new RegisterEntry(row.Role, row.Active);
            sites = row switch
            {
                null when claimedRoles.Contains(StaffRole.Admin) => SiteScope.Of([Site.DefaultId]),
                { Active: true, AllSites: true } => SiteScope.Everything,
                { Active: true } => SiteScope.Of(row.Sites),
                _ => SiteScope.None,
            };
        }

        var granted = RoleCeiling.Granted(claimedRoles, entry).Select(Roles.Of);
        var entryState = entry is null ? Absent : entry.Value.Active ? Active : Inactive;
        // The token's own claims of the types this ceiling sets (the claimed roles, the register state) are dropped, never trusted.
        var ceiled = new ClaimsIdentity(identity.Claims.Where(c => c.Type != identity.RoleClaimType && !OwnClaimTypes.Contains(c.Type)),
            identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        ceiled.AddClaims(granted.Select(r => new Claim(identity.RoleClaimType, r)));
        ceiled.AddClaims(claimed.Select(r => new Claim(ClaimedRoleType, r)));
        ceiled.AddClaim(new Claim(RegisterEntryType, entryState));
        db.ScopeTo(sites);
        var result = new ClaimsPrincipal(ceiled);
        done = (principal, result, sites);
        return result;
    }
}

/// <summary>The caller holds one of these roles after the register ceiling (<see cref="StaffRegisterCeiling"/>).</summary>
public sealed class StaffRoleRequirement(IReadOnlyCollection<string> roles) : IAuthorizationRequirement
{
    public IReadOnlyCollection<string> Roles { get; } = roles;
}

/// <summary>
/// Grants a route to a caller whose counted roles include one of its roles. A refusal says
/// <c>clinician.not-registered</c> when the token's own role would have been enough but the user has no
/// active register entry; any other refusal (a role the route does not take, or one the register does not
/// grant this user) is a plain 403.
/// </summary>
public sealed class StaffRoleHandler : AuthorizationHandler<StaffRoleRequirement>
{
    public const string NotRegisteredCode = "clinician.not-registered";

    /// <summary>Failure reason (answered as a plain 403 <c>auth.forbidden</c>) for a role the register does not grant.</summary>
    public const string RoleNotGranted = "role-not-granted";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffRoleRequirement requirement)
    {
        var user = context.User;
        if (requirement.Roles.Any(user.IsInRole))
        {
            context.Succeed(requirement);
        }
        else if (!requirement.Roles.Any(r => Roles.Registered.Contains(r) && user.HasClaim(StaffRegisterCeiling.ClaimedRoleType, r)))
        {
            context.Fail();
        }
        else if (user.FindFirstValue(StaffRegisterCeiling.RegisterEntryType) != StaffRegisterCeiling.Active)
        {
            context.Fail(new AuthorizationFailureReason(this, NotRegisteredCode));
        }
        else
        {
            // The token names a role the route takes, but the register grants this user another one.
            context.Fail(new AuthorizationFailureReason(this, RoleNotGranted));
        }

        return Task.CompletedTask;
    }
}

/// <summary>Turns a register refusal into a 403 problem with its own code; other outcomes are handled as usual.</summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            // A refused attempt on a record is part of the trail too (who tried what, with what outcome).
            await context.RequestServices.GetRequiredService<Auditing.AuditTrail>().RecordAsync(
                context.RequestServices.GetRequiredService<ClinicDbContext>(), context, StatusCodes.Status403Forbidden);
        }

        var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).ToList() ?? [];
        if (authorizeResult.Forbidden && reasons.Contains(StaffRoleHandler.NotRegisteredCode))
        {
            await Problems.Create(StatusCodes.Status403Forbidden, StaffRoleHandler.NotRegisteredCode,
                "You have no active entry in the staff register.",
                "Every caller of the record is an active entry of the staff register with the role the token names; ask an admin to add or reactivate your user name.")
                .ExecuteAsync(context);
            return;
        }

        if (authorizeResult.Forbidden && reasons.Contains(StaffRoleHandler.RoleNotGranted))
        {
            // A plain 403 like any other missing role; only the detail tells the caller where to look.
            await Problems.Create(StatusCodes.Status403Forbidden, "auth.forbidden", "Forbidden",
                "The staff register does not grant you the token's role for this operation: a token's role counts only where the register grants it.")
                .ExecuteAsync(context);
            return;
        }

        await fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
