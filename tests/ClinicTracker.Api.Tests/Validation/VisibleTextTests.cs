using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Validation;

/// <summary>
/// Names and required texts must be readable (issue 9, item 16): white space, zero-width and other format
/// characters alone are no name and no reason. Names also refuse invisible format characters inside them:
/// bidi overrides make the screen show other letters than the record holds ("Ada\u202Eecalevol" displays as
/// "Adalovelace"), and zero-width spaces split a name for search and the duplicate check.
/// </summary>
public sealed class VisibleTextTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    public static TheoryData<string, bool> Texts() => new()
    {
        { "Ada", true },
        { "O'Brien", true },
        { "李", true }, // one CJK letter
        { "نیک‌نام", true }, // Persian, spelt with a zero-width non-joiner
        { "9", true },
        { "-", true }, // punctuation is visible
        { "😀", true }, // a symbol outside the BMP (a surrogate pair)
        { " ", false },
        { "\t\n", false },
        { "\u00A0\u3000", false }, // no-break space, ideographic space
        { "\u200B", false }, // zero-width space
        { "\u200C\u200D", false }, // zero-width non-joiner and joiner alone
        { "\u2060\uFEFF", false }, // word joiner, zero-width no-break space (BOM)
        { "\u202E\u202D", false }, // right-to-left override, left-to-right override
        { "\u2066\u2069", false }, // isolates
        { "\u00AD", false }, // soft hyphen
        { "\u3164", false }, // Hangul filler: a "letter" that renders as nothing
        { "\u2800", false }, // Braille blank
        { "\u0301", false }, // a combining accent with nothing to sit on
        { " \u200B \u2060 ", false },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void HasVisibleCharacter_Table(string text, bool visible) => Assert.Equal(visible, VisibleText.HasVisibleCharacter(text));

    [Theory]
    [InlineData("Ada Lovelace", null)]
    [InlineData("نیک‌نام", null)] // U+200C is how Persian is spelt
    [InlineData("Ada\u200BLovelace", "U+200B")]
    [InlineData("Ada\u202Eecalevol", "U+202E")]
    [InlineData("Ada\u2066x\u2069", "U+2066")]
    [InlineData("Ada\u200F", "U+200F")] // right-to-left mark
    [InlineData("Ada\uFEFF", "U+FEFF")]
    [InlineData("Ada\u00AD", "U+00AD")]
    public void HiddenCharacterIn_Names(string name, string? hidden) => Assert.Equal(hidden, VisibleText.HiddenCharacterIn(name));

    public static TheoryData<string> InvisibleNames() => ["\u200B", "\u202E\u202D", "   ", "\u00A0", "\u3164", "Ada\u202Eecalevol", "Ada\u200BLovelace"];

    [Theory]
    [MemberData(nameof(InvisibleNames))]
    public async Task RegisterPatient_WithAnInvisibleOrSpoofingName_Returns400NamingTheField(string name)
    {
        var frontDesk = factory.ClientFor("fd.visible", "front-desk");

        await (await frontDesk.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient(given: name))).AssertValidationError("givenName");
        await (await frontDesk.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient(family: name))).AssertValidationError("familyName");
    }

    [Theory]
    [MemberData(nameof(InvisibleNames))]
    public async Task RegisterClinician_WithAnInvisibleOrSpoofingDisplayName_Returns400NamingTheField(string name)
    {
        var admin = factory.ClientFor("it.visible", "admin");

        var response = await admin.PostAsJsonAsync("/api/v1/clinicians", new { userName = Http.Unique("rn"), displayName = name, role = "nurse" });

        await response.AssertValidationError("displayName");
    }

    [Fact]
    public async Task RegisterPatient_WithAPersianNameSpeltWithAZeroWidthNonJoiner_IsAccepted() =>
        await PatientData.Register(factory.ClientFor("fd.visible", "front-desk"), PatientData.NewPatient(given: "نیک‌نام", family: "Ahmadi"));

    [Fact]
    public async Task Reasons_MadeOfInvisibleCharacters_Return400_AndChangeNothing()
    {
        var data = new TreatmentData(factory);
        var (_, planId, sessionId) = await data.CheckedInSession();

        await (await data.Nurse.PostAsync($"/api/v1/sessions/{sessionId}/hold", Http.Json("""{"reason":"\u200b\u2060"}""")))
            .AssertValidationError("reason");
        await (await data.FrontDesk.PostAsync($"/api/v1/sessions/{sessionId}/cancel", Http.Json("""{"cancelledBy":"patient","reason":"\u202e"}""")))
            .AssertValidationError("reason");
        // An override reason is optional, but one that is sent must be readable: an invisible one would pass as a reason.
        await (await data.Dose(data.Prescriber, sessionId, TreatmentData.Iv(35m, overrideReason: "\u200b")))
            .AssertValidationError("overrideReason");
        var discontinue = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/plans/{planId}/discontinue")
        {
            Content = Http.Json("""{"reason":"\ufeff"}"""),
            Headers = { IfMatch = { new System.Net.Http.Headers.EntityTagHeaderValue("\"1\"") } },
        };
        await (await data.Prescriber.SendAsync(discontinue)).AssertValidationError("reason");

        // Nothing was changed by the refusals: the session is still checked in, and a readable reason goes through.
        var session = await (await data.Nurse.GetAsync($"/api/v1/sessions/{sessionId}")).ReadObject();
        Assert.Equal("checked-in", session["status"]!.GetValue<string>());
        await data.Nurse.PostAsync($"/api/v1/sessions/{sessionId}/hold", Http.Json("""{"reason":"BP 150/95"}""")).EnsureStatus(HttpStatusCode.OK);
    }
}
