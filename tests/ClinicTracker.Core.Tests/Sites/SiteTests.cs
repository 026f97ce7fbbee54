using System.Reflection;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Core.Tests.Sites;

public sealed class SiteTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// The default site as the <c>Sites</c> migration leaves it (its SQL inserts the row; nothing in Core makes it):
    /// id <see cref="Site.DefaultId"/>, made and last changed by <see cref="Site.MigrationActor"/>, version 1.
    /// </summary>
    private static Site MigratedDefaultSite(string timeZone = "UTC")
    {
        var site = Site.Create("Main site", timeZone, null, null, true, Site.MigrationActor, Now);
        typeof(Site).GetProperty(nameof(Site.Id), BindingFlags.Public | BindingFlags.Instance)!.SetValue(site, Site.DefaultId);
        return site;
    }

    [Fact]
    public void ConfiguredZone_AppliesToTheUntouchedDefaultSite_AndBumpsItsVersion()
    {
        var site = MigratedDefaultSite();

        Assert.True(site.ApplyConfiguredTimeZone("America/Chicago"));

        Assert.Equal("America/Chicago", site.TimeZone);
        Assert.Equal(2, site.Version);
        // Still the migration's: a later start-up with another setting may move it again.
        Assert.Equal(Site.MigrationActor, site.UpdatedBy);
        Assert.True(site.ApplyConfiguredTimeZone("America/Denver"));
        Assert.Equal("America/Denver", site.TimeZone);
        Assert.Equal(3, site.Version);
    }

    [Fact]
    public void ConfiguredZone_ThatTheSiteAlreadyHas_ChangesNothing()
    {
        var site = MigratedDefaultSite("America/Chicago");

        Assert.False(site.ApplyConfiguredTimeZone("America/Chicago"));

        Assert.Equal(1, site.Version);
    }

    [Fact]
    public void ConfiguredZone_AfterAnAdminChangedTheSite_IsIgnored_EvenIfTheChangeWasNotTheZone()
    {
        var zoneChanged = MigratedDefaultSite();
        zoneChanged.Change(null, "Europe/London", null, null, null, "admin.x", Now.AddDays(1));
        var renamed = MigratedDefaultSite();
        renamed.Change("Downtown", null, null, null, null, "admin.x", Now.AddDays(1));

        Assert.False(zoneChanged.ApplyConfiguredTimeZone("America/Chicago"));
        Assert.False(renamed.ApplyConfiguredTimeZone("America/Chicago"));

        Assert.Equal("Europe/London", zoneChanged.TimeZone);
        Assert.Equal(2, zoneChanged.Version);
        Assert.Equal("UTC", renamed.TimeZone);
    }

    [Fact]
    public void ConfiguredZone_NeverTouchesAnotherSite_EvenOneMadeByTheMigrationActor()
    {
        var other = Site.Create("North", "UTC", null, null, true, Site.MigrationActor, Now);

        Assert.False(other.ApplyConfiguredTimeZone("America/Chicago"));

        Assert.Equal("UTC", other.TimeZone);
        Assert.Equal(1, other.Version);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Central Standard Time")] // Windows id: found by .NET, but not IANA
    [InlineData("")]
    public void ConfiguredZone_ThatIsNotAnIanaZone_IsIgnored(string zone)
    {
        var site = MigratedDefaultSite();

        Assert.False(site.ApplyConfiguredTimeZone(zone));

        Assert.Equal("UTC", site.TimeZone);
        Assert.Equal(1, site.Version);
    }

    [Fact]
    public void Create_TrimsAndNormalizes_AndBlankOptionalFieldsAreNull()
    {
        var site = Site.Create("  North Clinic ", "America/Chicago", "  ", "ab1234563", true, "admin.x", Now);

        Assert.Equal("North Clinic", site.Name);
        Assert.Equal("NORTH CLINIC", site.NameNormalized);
        Assert.Null(site.Address);
        Assert.Equal("AB1234563", site.DeaRegistration);
        Assert.Equal(1, site.Version);
        Assert.Equal("admin.x", site.CreatedBy);
        Assert.Equal(Now, site.UpdatedAt);
    }

    [Fact]
    public void Change_NullKeepsAField_EmptyStringClearsAddressAndDea_AndEveryChangeBumpsTheVersion()
    {
        var site = Site.Create("North", "UTC", "1 Lake St", "AB1234563", true, "admin.x", Now);

        site.Change(null, null, "", null, null, "admin.y", Now.AddHours(1));
        Assert.Null(site.Address);
        Assert.Equal("AB1234563", site.DeaRegistration);
        Assert.Equal("North", site.Name);
        Assert.Equal(2, site.Version);
        Assert.Equal("admin.y", site.UpdatedBy);
        Assert.Equal(Now.AddHours(1), site.UpdatedAt);
        Assert.Equal(Now, site.CreatedAt);

        site.Change(null, null, null, "", false, "admin.y", Now.AddHours(2));
        Assert.Null(site.DeaRegistration);
        Assert.False(site.Active);
        Assert.Equal(3, site.Version);
    }

    [Fact]
    public void RefuseUnlessActive_IsSiteInactiveForAnInactiveSite_NothingForAnActiveOne()
    {
        var open = Site.Create("Open", "UTC", null, null, true, "admin.x", Now);
        var closed = Site.Create("Closed", "UTC", null, null, false, "admin.x", Now);

        Assert.Null(open.RefuseUnlessActive("staff"));
        var refusal = closed.RefuseUnlessActive("staff");
        Assert.NotNull(refusal);
        Assert.Equal("site.inactive", refusal.Code);
    }
}

public sealed class DeaNumberTests
{
    // Check digit = last digit of (d1 + d3 + d5) + 2 × (d2 + d4 + d6), worked by hand:
    [Theory]
    [InlineData("AB1234563")] // (1+3+5) + 2×(2+4+6) = 9 + 24 = 33 → 3
    [InlineData("BJ6125341")] // (6+2+3) + 2×(1+5+4) = 11 + 20 = 31 → 1
    [InlineData("FM9999991")] // (9+9+9) + 2×(9+9+9) = 27 + 54 = 81 → 1
    [InlineData("AB0000000")] // 0 + 0 = 0 → 0
    [InlineData("MX1000013")] // (1+0+0) + 2×(0+0+1) = 1 + 2 = 3 → 3: the even places count twice
    [InlineData("A91234563")] // second character 9 (some business registrants): same sum as AB1234563 → 3
    [InlineData("ab1234563")] // lower-case letters are read as upper-case (Site stores them upper-cased)
    public void Valid(string number) => Assert.True(DeaNumber.IsValid(number), number);

    [Theory]
    [InlineData("AB1234564")] // the sum is 33: the check digit must be 3, not 4
    [InlineData("AB1234560")]
    [InlineData("FM9999993")] // 81 → 1, not 3
    [InlineData("MX1000012")] // 3 → 3; 2 would be right only if the even places counted once (1 + 1 = 2)
    [InlineData("AB123456")] // 8 characters: no check digit
    [InlineData("AB12345633")] // 10 characters
    [InlineData("A1234563")] // one letter
    [InlineData("ABC234563")] // three letters
    [InlineData("1B1234563")] // the registrant type must be a letter
    [InlineData("AB 123456")] // a space
    [InlineData(" AB1234563")] // not trimmed here: the validator sees the value as sent
    [InlineData("ÄB1234563")] // a non-ASCII letter
    [InlineData("AB١٢٣٤٥٦٣")] // Arabic-Indic digits, 1234563 in another script
    [InlineData("")]
    [InlineData(null)]
    public void Invalid(string? number) => Assert.False(DeaNumber.IsValid(number), number);
}
