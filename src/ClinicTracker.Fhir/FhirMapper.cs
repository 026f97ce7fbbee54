using ClinicTracker.Core.Common;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using Hl7.Fhir.Model;
using CorePatient = ClinicTracker.Core.Patients.Patient;
using CoreSex = ClinicTracker.Core.Patients.Sex;

namespace ClinicTracker.Fhir;

/// <summary>
/// The record as FHIR R4 resources (domain.md §11; docs/fhir.md has the table). Pure: entities in, resources out,
/// no database and no HTTP. Every record maps, voided ones included (as <c>entered-in-error</c>, never omitted).
/// Performers are logical references to the staff register (an identifier of the user name), not Practitioner
/// resources this server would have to serve.
/// </summary>
public sealed partial class FhirMapper(FhirSystems systems, TimeProvider clock)
{
    /// <summary>The reason of every visit when the patient's record names no diagnosis.</summary>
    public const string DefaultReason = "Treatment-resistant depression";

    public FhirSystems Systems => systems;

    public Patient ToPatient(CorePatient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return new Patient
        {
            Id = Id(patient.Id),
            Meta = Meta(patient.UpdatedAt, patient.Version),
            Identifier =
            [
                new Identifier(systems.Mrn, patient.Mrn)
                {
                    Use = Identifier.IdentifierUse.Usual,
                    Type = new CodeableConcept(FhirSystems.IdentifierType, "MR", "Medical record number", null),
                },
            ],
            // domain.md §1: archived, never deleted; an archived record is no longer in active use.
            Active = !patient.IsArchived,
            Name = [new HumanName { Use = HumanName.NameUse.Official, Family = patient.FamilyName, Given = [patient.GivenName] }],
            Gender = patient.Sex switch
            {
                CoreSex.Female => AdministrativeGender.Female,
                CoreSex.Male => AdministrativeGender.Male,
                CoreSex.Other => AdministrativeGender.Other,
                _ => AdministrativeGender.Unknown,
            },
            BirthDate = patient.DateOfBirth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ManagingOrganization = SiteReference(patient.HomeSiteId),
        };
    }

    /// <summary>
    /// A session as an Encounter (domain.md §4 → Encounter.status): scheduled → planned, checked-in → arrived,
    /// in-progress, completed → finished, cancelled and no-show → cancelled, held (sent home without a dose after
    /// check-in) → finished. The exact status is kept in the <see cref="FhirSystems.SessionStatusExtension"/> extension.
    /// The period runs from check-in to completion or the side exit; a visit that never began has its booked start only.
    /// </summary>
    /// <param name="session">The session.</param>
    /// <param name="diagnosis">The patient's recorded diagnosis, the reason of the visit; null for <see cref="DefaultReason"/>.</param>
    public Encounter ToEncounter(TreatmentSession session, string? diagnosis)
    {
        ArgumentNullException.ThrowIfNull(session);
        var encounter = new Encounter
        {
            Id = Id(session.Id),
            Meta = Meta(LastChange(session), session.Version),
            Extension = [new Extension(systems.SessionStatusExtension, new Code(EnumNames.Kebab(session.Status)))],
            Status = session.Status switch
            {
                SessionStatus.Scheduled => Encounter.EncounterStatus.Planned,
                SessionStatus.CheckedIn => Encounter.EncounterStatus.Arrived,
                SessionStatus.InProgress => Encounter.EncounterStatus.InProgress,
                SessionStatus.Completed or SessionStatus.Held => Encounter.EncounterStatus.Finished,
                _ => Encounter.EncounterStatus.Cancelled,
            },
            Class = new Coding(FhirSystems.ActCode, "AMB", "ambulatory"),
            Subject = PatientReference(session.PatientId),
            // A visit that never began (planned, cancelled, no-show) has only its booked start.
            Period = session.CheckedInAt is { } arrived
                ? new Period(Instant(arrived), (session.CompletedAt ?? session.EndedAt) is { } end ? Instant(end) : null)
                : new Period(Instant(session.ScheduledAt), null),
            ReasonCode = [new CodeableConcept { Text = diagnosis ?? DefaultReason }],
            ServiceProvider = SiteReference(session.SiteId),
        };
        if (session.CheckedInBy is { } checkedInBy)
        {
            encounter.Participant.Add(Participant("ADM", "admitter", checkedInBy));
        }

        if ((session.CompletedBy ?? session.EndedBy) is { } endedBy)
        {
            encounter.Participant.Add(Participant("DIS", "discharger", endedBy));
        }

        return encounter;
    }

    /// <summary>
    /// A plan as a CarePlan: active → active, completed → completed, discontinued → revoked; one activity per phase,
    /// its due dates as the timing (count, every n days or the weekdays, bounded by the phase's first and last due date).
    /// </summary>
    public CarePlan ToCarePlan(TreatmentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var dueDates = ScheduleGenerator.DueDates(plan.StartDate, plan.Phases, plan.ToleranceDays);
        var carePlan = new CarePlan
        {
            Id = Id(plan.Id),
            Meta = Meta(plan.CompletedAt ?? plan.DiscontinuedAt ?? plan.CreatedAt, plan.Version),
            Status = plan.Status switch
            {
                PlanStatus.Active => RequestStatus.Active,
                PlanStatus.Completed => RequestStatus.Completed,
                _ => RequestStatus.Revoked,
            },
            Intent = CarePlan.CarePlanIntent.Plan,
            Title = $"{EnumNames.Kebab(plan.Medication)} · {EnumNames.Kebab(plan.Route)}",
            Description = plan.Template is { } template ? $"From the {template} template." : null,
            Subject = PatientReference(plan.PatientId),
            Period = new Period(new FhirDateTime(Date(plan.StartDate)), plan.EndedOn is { } ended ? new FhirDateTime(Date(ended)) : null),
            CreatedElement = Instant(plan.CreatedAt),
            Author = Staff(plan.CreatedBy),
        };
        if (plan.DiscontinuationReason is { } reason)
        {
            carePlan.Note.Add(Note($"Discontinued: {reason}", plan.DiscontinuedBy, plan.DiscontinuedAt));
        }

        for (var index = 0; index < plan.Phases.Count; index++)
        {
            var phase = plan.Phases[index];
            var dates = dueDates.Where(d => d.PhaseIndex == index).Select(d => d.Date).ToList();
            var repeat = new Timing.RepeatComponent
            {
                Bounds = new Period(new FhirDateTime(Date(dates[0])), new FhirDateTime(Date(dates[^1]))),
                Count = phase.Sessions,
                Frequency = 1,
            };
            if (phase.EveryDays is { } every)
            {
                repeat.Period = every;
                repeat.PeriodUnit = Timing.UnitsOfTime.D;
            }
            else
            {
                repeat.Period = 1;
                repeat.PeriodUnit = Timing.UnitsOfTime.Wk;
                repeat.Frequency = phase.Weekdays!.Count;
                repeat.DayOfWeek = [.. phase.Weekdays!.Select(Weekday)];
            }

            carePlan.Activity.Add(new CarePlan.ActivityComponent
            {
                Detail = new CarePlan.DetailComponent
                {
                    Kind = CarePlan.CarePlanActivityKind.MedicationRequest,
                    Status = ActivityStatus(plan.Status, dates[0], dates[^1], plan.LocalDate(clock.GetUtcNow().UtcDateTime)),
                    Scheduled = new Timing { Repeat = repeat },
                    Product = FhirCodes.Medication(plan.Medication),
                    DailyAmount = plan.TargetDoseMg is { } mg ? Mg(mg) : null,
                    Description = TargetText(phase.Name, plan),
                },
            });
        }

        return carePlan;
    }

    private static string TargetText(string phase, TreatmentPlan plan) =>
        plan.TargetDoseMgPerKg is { } perKg
            ? $"{phase}: {EnumNames.Kebab(plan.Route)}, target {perKg.ToString(System.Globalization.CultureInfo.InvariantCulture)} mg/kg"
            : $"{phase}: {EnumNames.Kebab(plan.Route)}";

    /// <summary>A phase of an active plan is scheduled until its first due date, then in progress; of an ended plan, completed or stopped.</summary>
    internal static CarePlan.CarePlanActivityStatus ActivityStatus(PlanStatus status, DateOnly first, DateOnly last, DateOnly today) => status switch
    {
        PlanStatus.Completed => CarePlan.CarePlanActivityStatus.Completed,
        PlanStatus.Discontinued => CarePlan.CarePlanActivityStatus.Stopped,
        _ when today < first => CarePlan.CarePlanActivityStatus.Scheduled,
        _ when today > last => CarePlan.CarePlanActivityStatus.Completed,
        _ => CarePlan.CarePlanActivityStatus.InProgress,
    };

    private Encounter.ParticipantComponent Participant(string code, string display, string userName) => new()
    {
        Type = [new CodeableConcept(FhirSystems.ParticipationType, code, display, null)],
        Individual = Staff(userName),
    };

    private static DaysOfWeek Weekday(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => DaysOfWeek.Mon,
        DayOfWeek.Tuesday => DaysOfWeek.Tue,
        DayOfWeek.Wednesday => DaysOfWeek.Wed,
        DayOfWeek.Thursday => DaysOfWeek.Thu,
        DayOfWeek.Friday => DaysOfWeek.Fri,
        DayOfWeek.Saturday => DaysOfWeek.Sat,
        _ => DaysOfWeek.Sun,
    };

    /// <summary>When a session last changed: its latest lifecycle event.</summary>
    public static DateTime LastChange(TreatmentSession session) =>
        new[] { session.CreatedAt, session.CheckedInAt, session.FirstDoseAt, session.CompletedAt, session.EndedAt }.Max() ?? session.CreatedAt;

    // ---- shared pieces ----

    /// <summary>A FHIR id: the record's id in its canonical lower-case form.</summary>
    public static string Id(Guid id) => id.ToString("D");

    public static ResourceReference PatientReference(Guid patientId) => new($"Patient/{Id(patientId)}");

    public static ResourceReference EncounterReference(Guid sessionId) => new($"Encounter/{Id(sessionId)}");

    /// <summary>A staff member as a logical reference: the staff register's user name (domain.md §9), no Practitioner resource.</summary>
    public ResourceReference Staff(string userName) => new()
    {
        Type = "Practitioner",
        Identifier = new Identifier(systems.StaffUser, userName),
    };

    private ResourceReference SiteReference(Guid siteId) => new()
    {
        Type = "Organization",
        Identifier = new Identifier(systems.Site, Id(siteId)),
    };

    private static Meta Meta(DateTime lastUpdatedUtc, int? version) => new()
    {
        LastUpdated = Utc(lastUpdatedUtc),
        VersionId = version?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Stored times are UTC; SQLite hands them back unspecified.</summary>
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static FhirDateTime Instant(DateTime utc) => new(Utc(utc));

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private Annotation Note(string text, string? author, DateTime? at) => new()
    {
        TextElement = new Markdown(text),
        Author = author is null ? null : new FhirString(author),
        TimeElement = at is { } time ? Instant(time) : null,
    };

    /// <summary>domain.md §8: a voided record says why, who voided it and when; nothing when it stands.</summary>
    private void AddVoidNote(List<Annotation> notes, string? reason, string? voidedBy, DateTime? voidedAt)
    {
        if (reason is not null)
        {
            notes.Add(Note($"Entered in error: {reason}", voidedBy, voidedAt));
        }
    }

    private static Quantity Mg(decimal mg) => Ucum(mg, "mg");

    private static Quantity Ucum(decimal value, string code, string? unit = null) => new()
    {
        Value = value,
        Unit = unit ?? code,
        System = FhirSystems.Ucum,
        Code = code,
    };
}
