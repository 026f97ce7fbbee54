using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Patients;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Exports;

/// <summary>
/// The groups a bulk export can name (<c>Group/{id}/$export</c>): <c>clinic</c>, every patient visible at the caller's
/// sites, and one per plan type the record allows (domain.md §2: racemic ketamine by any route, esketamine only
/// intranasally), e.g. <c>ketamine-intravenous</c>: the patients with a plan of that medication and route, in any
/// status. Membership is read through the context's site filters, so a group never reaches past the caller's sites.
/// </summary>
public sealed class ExportGroup
{
    public const string ClinicName = "clinic";

    private ExportGroup(string name, Medication? medication, AdministrationRoute? route)
    {
        Name = name;
        Medication = medication;
        Route = route;
    }

    /// <summary>Every patient of the caller's sites; also what <c>Patient/$export</c> exports.</summary>
    public static ExportGroup Clinic { get; } = new(ClinicName, null, null);

    /// <summary>The clinic group, then one per allowed medication and route.</summary>
    public static IReadOnlyList<ExportGroup> All { get; } =
    [
        Clinic,
        .. from medication in Enum.GetValues<Medication>()
           from route in Enum.GetValues<AdministrationRoute>()
           where MedicationRoutes.IsAllowed(medication, route)
           select new ExportGroup($"{EnumNames.Kebab(medication)}-{EnumNames.Kebab(route)}", medication, route),
    ];

    public string Name { get; }

    /// <summary>The plan type's medication; null for the clinic group.</summary>
    public Medication? Medication { get; }

    public AdministrationRoute? Route { get; }

    /// <summary>The group of that name (exact, as listed), or null.</summary>
    public static ExportGroup? Find(string? name) => All.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.Ordinal));

    /// <summary>The group's patients visible through <paramref name="db"/>'s site filters.</summary>
    public IQueryable<Patient> Members(ClinicDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var patients = db.Patients.AsNoTracking();
        if (Medication is not { } medication || Route is not { } route)
        {
            return patients;
        }

        return patients.Where(p => db.Plans.Any(plan => plan.PatientId == p.Id && plan.Medication == medication && plan.Route == route));
    }

    /// <summary>The next <paramref name="count"/> members after <paramref name="after"/> in id order (keyset: the job's position).</summary>
    public Task<List<Guid>> NextAsync(ClinicDbContext db, Guid? after, int count, CancellationToken ct)
    {
        var members = Members(db);
        if (after is { } position)
        {
            members = members.Where(p => p.Id.CompareTo(position) > 0);
        }

        return members.OrderBy(p => p.Id).Select(p => p.Id).Take(count).ToListAsync(ct);
    }
}
