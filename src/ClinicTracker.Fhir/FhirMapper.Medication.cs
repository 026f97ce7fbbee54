using System.Globalization;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Dosing;
using Hl7.Fhir.Model;
using Medication = Hl7.Fhir.Model.Medication;

namespace ClinicTracker.Fhir;

public sealed partial class FhirMapper
{
    /// <summary>The id of the contained Medication that carries the product and its lot.</summary>
    public const string ContainedMedicationId = "medication";

    /// <summary>
    /// A dose as a MedicationAdministration (domain.md §3, §11): completed, or entered-in-error once voided (with the
    /// void's reason as a note). R4 allows one medication[x]: the product is a contained Medication, because only a
    /// Medication carries <c>batch.lotNumber</c>; its code is the RxNorm concept (text for racemic ketamine). An
    /// infusion has an effectivePeriod and a rate in mg/min; every other route an effectiveDateTime. An override
    /// keeps its reason, the warning codes it accepted and the prescriber as a note.
    /// </summary>
    public MedicationAdministration ToMedicationAdministration(DoseEntry dose)
    {
        ArgumentNullException.ThrowIfNull(dose);
        var medication = new Medication
        {
            Id = ContainedMedicationId,
            Code = FhirCodes.Medication(dose.Medication),
            Batch = new Medication.BatchComponent { LotNumber = dose.LotNumber },
        };
        var administration = new MedicationAdministration
        {
            Id = Id(dose.Id),
            Meta = Meta(dose.VoidedAt ?? dose.RecordedAt, version: null),
            Contained = [medication],
            Status = dose.Status == DoseStatus.EnteredInError
                ? MedicationAdministration.MedicationAdministrationStatusCodes.EnteredInError
                : MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
            Medication = new ResourceReference("#" + ContainedMedicationId),
            Subject = PatientReference(dose.PatientId),
            Context = EncounterReference(dose.SessionId),
            Effective = dose.InfusionStartedAt is { } start && dose.InfusionEndedAt is { } end
                ? new Period(Instant(start), Instant(end))
                : Instant(dose.AdministeredAt),
            Performer = [new MedicationAdministration.PerformerComponent { Actor = Staff(dose.RecordedBy) }],
            Dosage = new MedicationAdministration.DosageComponent
            {
                Text = DosageText(dose),
                Route = FhirCodes.Route(dose.Route),
                Dose = Mg(dose.AmountMg),
                Rate = dose.InfusionMinutes is { } minutes and > 0 ? Ucum(Math.Round(dose.AmountMg / minutes, 4), "mg/min") : null,
            },
        };
        if (dose.OverriddenWarnings is { } warnings)
        {
            administration.Note.Add(Note($"Override of {warnings.Replace(' ', ',')}: {dose.OverrideReason}", dose.OverriddenBy, dose.RecordedAt));
        }

        if (dose.ReplacesDoseId is { } replaced)
        {
            administration.Note.Add(Note($"Replaces MedicationAdministration/{Id(replaced)}, entered in error.", dose.RecordedBy, dose.RecordedAt));
        }

        AddVoidNote(administration.Note, dose.VoidReason, dose.VoidedBy, dose.VoidedAt);

        return administration;
    }

    /// <summary>"35 mg, 0.5 mg/kg at 70 kg; 2 devices of 28 mg": the figures a clinician reads, mg/kg as the limits judged it.</summary>
    private static string DosageText(DoseEntry dose)
    {
        var mgPerKg = dose.WeightKg > 0 ? Math.Round(dose.AmountMg / dose.WeightKg, 3) : 0;
        var text = string.Create(CultureInfo.InvariantCulture, $"{dose.AmountMg:0.##} mg, {mgPerKg:0.###} mg/kg at {dose.WeightKg:0.#} kg");
        if (dose.InfusionMinutes is { } minutes)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", infused over {minutes:0.#} min");
        }

        return dose.DeviceCount is { } devices
            ? text + string.Create(CultureInfo.InvariantCulture, $"; {devices} {(devices == 1 ? "device" : "devices")} of 28 mg")
            : text + $" ({EnumNames.Kebab(dose.Route)})";
    }
}
