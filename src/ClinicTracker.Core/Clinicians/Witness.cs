using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Clinicians;

/// <summary>The second clinician a controlled-substance record needs (domain.md §8, §12).</summary>
public static class Witness
{
    /// <summary>
    /// The witness is an active nurse or prescriber of the staff register and not the clinician recording; null when
    /// they may witness, else a 422 with <paramref name="code"/>.
    /// </summary>
    public static async Task<RuleViolation?> RefusalAsync(
        ClinicDbContext db, string witnessUserName, string recorderUserName, string code, string what, CancellationToken ct)
    {
        var witness = SearchText.Normalize(witnessUserName);
        if (witness == SearchText.Normalize(recorderUserName))
        {
            return Invalid(code, $"The witness must be another clinician than the one recording the {what}.");
        }

        return await db.Clinicians.AnyAsync(c => c.UserNameNormalized == witness && c.Active &&
                (c.Role == StaffRole.Nurse || c.Role == StaffRole.Prescriber), ct)
            ? null
            : Invalid(code, "The witness must be an active nurse or prescriber in the staff register.");
    }

    public static RuleViolation Invalid(string code, string detail) => RuleViolation.Unprocessable(code, "The witness is not valid.", detail);
}
