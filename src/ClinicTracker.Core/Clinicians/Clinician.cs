using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Clinicians;

/// <summary>
/// A staff member or system client who acts in the record (domain.md §1), with the one role the clinic grants
/// (§9: the register is the ceiling of a token's roles). Deactivated, never deleted.
/// </summary>
public sealed class Clinician
{
    private Clinician()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The user name the identity provider puts in the token; the link between a token and this row.</summary>
    public string UserName { get; private set; } = "";

    public string UserNameNormalized { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public StaffRole Role { get; private set; }

    public string? RegistrationNumber { get; private set; }

    public bool Active { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; } = "";

    public int Version { get; private set; }

    /// <summary>A new register entry; <paramref name="active"/> false registers someone who may not act yet.</summary>
    public static Clinician Register(
        string userName, string displayName, StaffRole role, string? registrationNumber, string actor, DateTime nowUtc,
        bool active = true) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            UserName = userName.Trim(),
            UserNameNormalized = SearchText.Normalize(userName),
            DisplayName = displayName.Trim(),
            Role = role,
            RegistrationNumber = Blank(registrationNumber),
            Active = active,
            CreatedAt = nowUtc,
            CreatedBy = actor,
            UpdatedAt = nowUtc,
            UpdatedBy = actor,
            Version = 1,
        };

    /// <summary>Applies the fields a PATCH names; a null argument leaves that field as it is.</summary>
    public void Change(string? displayName, StaffRole? role, string? registrationNumber, bool? active, string actor, DateTime nowUtc)
    {
        if (displayName is not null)
        {
            DisplayName = displayName.Trim();
        }

        if (role is not null)
        {
            Role = role.Value;
        }

        if (registrationNumber is not null)
        {
            // An empty string clears the number; null means "not part of this change".
            RegistrationNumber = Blank(registrationNumber);
        }

        if (active is not null)
        {
            Active = active.Value;
        }

        UpdatedAt = nowUtc;
        UpdatedBy = actor;
        Version++;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
