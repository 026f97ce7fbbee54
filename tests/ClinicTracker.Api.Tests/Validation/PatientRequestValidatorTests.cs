using ClinicTracker.Api.Common;
using ClinicTracker.Api.Patients;
using ClinicTracker.Core.Patients;

namespace ClinicTracker.Api.Tests.Validation;

public sealed class PatientRequestValidatorTests
{
    // The clock stands at 2026-11-27 10:00 UTC, so "today" for dateOfBirth is 2026-11-27.
    private static readonly PatientRequestValidator Validator = Create();

    private static PatientRequestValidator Create()
    {
        // FluentValidation fixes property names when rules are built, so the API's naming must be set first.
        ValidationSetup.Configure();
        return new PatientRequestValidator(new FixedClock(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero)));
    }

    private static PatientRequest Valid() => new()
    {
        Mrn = "MRN-1",
        GivenName = "Ada",
        FamilyName = "Lovelace",
        DateOfBirth = new DateOnly(1980, 12, 10),
        Sex = Sex.Female,
    };

    [Theory]
    [InlineData("2026-11-27", true)] // today
    [InlineData("2026-11-28", false)] // tomorrow
    [InlineData("1900-01-01", true)] // the earliest allowed
    [InlineData("1899-12-31", false)]
    public void DateOfBirth_Boundaries(string date, bool valid)
    {
        var result = Validator.Validate(Valid() with { DateOfBirth = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(valid, result.IsValid);
        Assert.Equal(valid, result.Errors.All(e => e.PropertyName != "dateOfBirth"));
    }

    [Theory]
    [InlineData("A", true)]
    [InlineData("abc-123-XYZ", true)]
    [InlineData("12345678901234567890123456789012", true)] // 32 characters
    [InlineData("123456789012345678901234567890123", false)] // 33
    [InlineData("", false)]
    [InlineData("MRN 1", false)]
    [InlineData("MRN_1", false)]
    [InlineData("MRN-é", false)]
    public void Mrn_OneTo32LettersDigitsOrHyphen(string mrn, bool valid) =>
        Assert.Equal(valid, Validator.Validate(Valid() with { Mrn = mrn }).IsValid);

    [Theory]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void Names_OneTo100Characters(int length, bool valid)
    {
        Assert.Equal(valid, Validator.Validate(Valid() with { GivenName = new string('x', length) }).IsValid);
        Assert.Equal(valid, Validator.Validate(Valid() with { FamilyName = new string('x', length) }).IsValid);
    }

    [Fact]
    public void Name_WithControlCharacter_IsInvalid() =>
        Assert.False(Validator.Validate(Valid() with { FamilyName = "Love\nlace" }).IsValid);

    [Theory]
    [InlineData(2000, true)]
    [InlineData(2001, false)]
    public void Diagnosis_AtMost2000Characters(int length, bool valid) =>
        Assert.Equal(valid, Validator.Validate(Valid() with { Diagnosis = new string('d', length) }).IsValid);

    [Fact]
    public void MissingFields_AreReportedOncePerFieldByJsonName()
    {
        var result = Validator.Validate(new PatientRequest());

        Assert.Equal(["mrn", "givenName", "familyName", "dateOfBirth", "sex"], result.Errors.Select(e => e.PropertyName));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
