using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Stock;

/// <summary>An API with the shipped stock setting: Stock:Enforce on, as a clinic runs it unless it turns it off.</summary>
public sealed class StockApiFactory : ClinicApiFactory
{
    protected override bool TracksStock => true;
}

/// <summary>Receives lots and builds dose bodies that name them, through the API as the front-end would.</summary>
public static class StockData
{
    /// <summary>A lot number no other test uses (lot numbers are unique per site).</summary>
    public static string NewLot(string prefix = "KET") => Http.Unique(prefix).ToUpperInvariant();

    /// <summary>
    /// Receives <paramref name="quantityMg"/> of a lot: IV ketamine vials (50 mg/mL) unless told otherwise, expiring in a
    /// year, received two days ago by <paramref name="nurse"/> with dr.patel as the second clinician.
    /// </summary>
    public static async Task<JsonObject> Receive(HttpClient nurse, string lotNumber, decimal quantityMg, string medication = "ketamine",
        string form = "vial", decimal strength = 50m, DateOnly? expiresOn = null, DateTimeOffset? receivedAt = null, string witness = "dr.patel",
        Guid? siteId = null) =>
        await (await nurse.PostAsJsonAsync("/api/v1/stock/receipts", ReceiptBody(lotNumber, quantityMg, medication, form, strength, expiresOn,
            receivedAt, witness, siteId)).EnsureStatus(HttpStatusCode.Created)).ReadObject();

    public static object ReceiptBody(string lotNumber, decimal quantityMg, string medication = "ketamine", string form = "vial", decimal strength = 50m,
        DateOnly? expiresOn = null, DateTimeOffset? receivedAt = null, string witness = "dr.patel", Guid? siteId = null) => new
        {
            siteId,
            medication,
            form,
            strength,
            lotNumber,
            expiresOn = expiresOn ?? DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1),
            manufacturer = "Hikma",
            quantityMg,
            receivedAt = receivedAt ?? DateTimeOffset.UtcNow.AddDays(-2),
            supplier = "McKesson",
            invoiceNumber = "INV-" + lotNumber,
            witnessUserName = witness,
        };

    /// <summary><paramref name="body"/> (a dose or waste body of <see cref="TreatmentData"/>) with another lot number.</summary>
    public static JsonObject FromLot(object body, string? lotNumber)
    {
        var json = JsonSerializer.SerializeToNode(body, Http.Options)!.AsObject();
        json["lotNumber"] = lotNumber;
        return json;
    }

    public static async Task<JsonObject> Lot(HttpClient client, Guid lotId) =>
        await (await client.GetAsync($"/api/v1/stock/lots/{lotId}").EnsureStatus(HttpStatusCode.OK)).ReadObject();

    public static decimal Balance(JsonObject lot) => lot["balanceMg"]!.GetValue<decimal>();
}
