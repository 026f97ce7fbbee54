using ClinicTracker.Api.Stock;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Stock;

namespace ClinicTracker.Api.Demo;

/// <summary>
/// The demo clinic's controlled-substance stock (domain.md §12): both lots are received before the history begins,
/// so every dose and waste draws on them as Stock:Enforce requires; after the history, a month-end count finds the IV
/// lot 5 mg short and the prescriber resolves it.
/// </summary>
public sealed partial class DemoClinic
{
    /// <summary>50 vials of 10 mL at 50 mg/mL and 560 Spravato devices: more than the history gives.</summary>
    private const decimal IvReceivedMg = 25_000m, EsketamineReceivedMg = 560 * 28m;

    private async Task ReceiveStockAsync(CancellationToken ct)
    {
        // 60 days back: before the oldest course (42 days).
        var receivedAt = Local(today.AddDays(-60), 9, 0);
        foreach (var (lot, medication, form, strength, quantity) in new[]
        {
            (IvLot, Medication.Ketamine, StockForm.Vial, 50m, IvReceivedMg),
            (EsketamineLot, Medication.Esketamine, StockForm.NasalSprayDevice, 28m, EsketamineReceivedMg),
        })
        {
            await api.PostAsync(DemoPeople.Nurse.UserName, "/api/v1/stock/receipts", new RecordReceiptRequest
            {
                Medication = medication,
                Form = form,
                Strength = strength,
                LotNumber = lot,
                ExpiresOn = today.AddYears(1),
                Manufacturer = medication == Medication.Esketamine ? "Janssen (demo)" : "Hikma (demo)",
                QuantityMg = quantity,
                ReceivedAt = receivedAt,
                Supplier = "Example Distributor (demo)",
                InvoiceNumber = $"INV-DEMO-{lot}",
                WitnessUserName = DemoPeople.WitnessNurse.UserName,
            }, ct: ct);
            Counts.StockReceipts++;
        }
    }

    /// <summary>The month-end count: the devices match; the vials are 5 mg short, adjusted by the prescriber as a spill.</summary>
    private async Task CountStockAsync(CancellationToken ct)
    {
        var (lots, _) = await api.GetAsync(DemoPeople.Nurse.UserName, "/api/v1/stock/lots", ct);
        foreach (var lot in lots["items"]!.AsArray())
        {
            var balance = lot!["balanceMg"]!.GetValue<decimal>();
            var isIv = lot["lotNumber"]!.GetValue<string>() == IvLot;
            var count = await api.PostAsync(DemoPeople.Nurse.UserName, $"/api/v1/stock/lots/{lot["id"]}/counts", new RecordCountRequest
            {
                CountedMg = isIv ? balance - 5m : balance,
                CountedAt = clock.GetUtcNow().AddMinutes(-30),
                Note = isIv ? "Sealed vials counted; the opened vial estimated by volume." : null,
                WitnessUserName = DemoPeople.WitnessNurse.UserName,
            }, ct: ct);
            Counts.StockCounts++;
            if (count!["discrepancy"] is { } discrepancy)
            {
                await api.PostAsync(DemoPeople.Prescriber.UserName, $"/api/v1/stock/discrepancies/{discrepancy["id"]}/resolve", new ResolveDiscrepancyRequest
                {
                    Resolution = DiscrepancyResolution.Adjusted,
                    Reason = "5 mg spilled during draw-up and not recorded as waste (demo).",
                    ReportedToDea = false,
                }, System.Net.HttpStatusCode.OK, ct: ct);
            }
        }
    }
}
