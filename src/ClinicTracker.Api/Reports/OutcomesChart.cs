using System.Globalization;
using System.Text;
using System.Xml;

namespace ClinicTracker.Api.Reports;

/// <summary>
/// The outcomes report as a self-contained SVG bar chart (docs/outcomes.md, "Reading the chart"): one panel per
/// grouping (all plans, by route, by dose band, by adherence band), four bars per group — PHQ-9 response, PHQ-9
/// remission, MADRS response, MADRS remission — as a percent of the instrument's counted plans, each bar labelled
/// with its n (counted plans). Written with <see cref="XmlWriter"/>, so every text is XML-escaped; no script, no
/// style sheet, no external reference: colours and fonts are presentation attributes, so it reads the same in an
/// <c>&lt;img&gt;</c>, inline, or opened on its own.
/// </summary>
/// <remarks>
/// Each bar is a <c>rect</c> with <c>data-panel</c>, <c>data-group</c>, <c>data-series</c>, <c>data-n</c> and
/// <c>data-rate</c> (the JSON's rate, empty when null: then the bar has height 0 and its label reads "n=0"), so a test
/// or a front-end can match it to the JSON.
/// </remarks>
public static class OutcomesChart
{
    public const string MediaType = "image/svg+xml";

    public const int Width = 960;

    private const int PlotHeight = 160;
    private const int PanelHeight = PlotHeight + 105;
    private const int Left = 70;
    private const int BarWidth = 22;
    private const int GroupGap = 28;
    private const int Top = 110;

    /// <summary>The series in bar order: key, legend text, colour (distinguishable without colour vision too: dark/light pairs).</summary>
    private static readonly (string Key, string Legend, string Colour)[] Series =
    [
        ("phq9-response", "PHQ-9 response", "#1f4e9c"),
        ("phq9-remission", "PHQ-9 remission", "#7fb2e5"),
        ("madrs-response", "MADRS response", "#b3400f"),
        ("madrs-remission", "MADRS remission", "#f4a261"),
    ];

    public static string Render(OutcomesReportResponse report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var panels = new (string Key, string Title, IReadOnlyList<OutcomeGroupResponse> Groups)[]
        {
            ("all", "All plans", [report.Overall]),
            ("route", "By route", report.ByRoute),
            ("dose", "By dose band (median session dose)", report.ByDoseBand),
            ("adherence", "By adherence band", report.ByAdherenceBand),
        };
        var height = Top + (panels.Length * PanelHeight) + 30;

        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false }))
        {
            xml.WriteStartElement("svg", "http://www.w3.org/2000/svg");
            Attr(xml, "width", Width);
            Attr(xml, "height", height);
            xml.WriteAttributeString("viewBox", Invariant($"0 0 {Width} {height}"));
            xml.WriteAttributeString("role", "img");
            xml.WriteAttributeString("font-family", "DejaVu Sans, Arial, Helvetica, sans-serif");
            xml.WriteAttributeString("font-size", "11");

            const string title = "Clinic outcomes: response and remission by group";
            xml.WriteElementString("title", title);
            xml.WriteElementString("desc",
                "Percent of counted plans (a baseline and a later assessment of the instrument) whose latest assessment is a response or a remission. Descriptive figures for the clinic's quality review, not evidence.");
            Rect(xml, 0, 0, Width, height, "#ffffff");
            Text(xml, 20, 28, title, size: 18, weight: "bold");
            Text(xml, 20, 48, Scope(report), size: 12, fill: "#333333");
            Text(xml, 20, 64, "Descriptive figures for the clinic's own quality review, not evidence (domain rules §13). n = counted plans.",
                size: 11, fill: "#555555");
            Legend(xml, 20, 80);

            for (var i = 0; i < panels.Length; i++)
            {
                Panel(xml, panels[i].Key, panels[i].Title, panels[i].Groups, Top + (i * PanelHeight));
            }

            xml.WriteEndElement();
        }

        return text.ToString();
    }

    private static string Scope(OutcomesReportResponse r)
    {
        var from = r.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "the first plan";
        var to = r.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "today";
        var filters = string.Join(", ", new[] { r.Medication?.ToString().ToLowerInvariant(), r.Route?.ToString().ToLowerInvariant() }.OfType<string>());
        return $"Plans started from {from} to {to}" + (filters.Length > 0 ? $" ({filters})" : "") + $": {r.Overall.Plans} plans.";
    }

    private static void Legend(XmlWriter xml, int x, int y)
    {
        foreach (var (_, legend, colour) in Series)
        {
            Rect(xml, x, y, 14, 14, colour);
            Text(xml, x + 20, y + 11, legend, size: 12);
            x += 170;
        }
    }

    private static void Panel(XmlWriter xml, string key, string title, IReadOnlyList<OutcomeGroupResponse> groups, int y)
    {
        xml.WriteStartElement("g");
        xml.WriteAttributeString("data-panel", key);
        Text(xml, 20, y + 14, title, size: 13, weight: "bold");
        // Room above the plot for the panel title and the n labels of 100 % bars.
        var baseY = y + 34 + PlotHeight;

        // The y axis: percent of counted plans, grid lines every 25 %.
        for (var pct = 0; pct <= 100; pct += 25)
        {
            var gy = baseY - (pct * PlotHeight / 100);
            Line(xml, Left, gy, Width - 20, gy, pct == 0 ? "#000000" : "#d0d0d0");
            Text(xml, Left - 6, gy + 4, Invariant($"{pct}%"), anchor: "end", fill: "#333333");
        }

        Line(xml, Left, baseY - PlotHeight, Left, baseY, "#000000");
        xml.WriteStartElement("text");
        Attr(xml, "x", 14);
        Attr(xml, "y", baseY - (PlotHeight / 2));
        xml.WriteAttributeString("transform", Invariant($"rotate(-90 14 {baseY - (PlotHeight / 2)})"));
        xml.WriteAttributeString("text-anchor", "middle");
        xml.WriteAttributeString("fill", "#333333");
        xml.WriteString("Percent");
        xml.WriteEndElement();

        if (groups.Count == 0)
        {
            Text(xml, Left + 12, baseY - 8, "No plans in this report.", fill: "#555555");
        }

        var x = Left + 14;
        foreach (var group in groups)
        {
            var figures = new (OutcomeFiguresResponse Figures, decimal? Rate)[]
            {
                (group.Phq9, group.Phq9.ResponseRate),
                (group.Phq9, group.Phq9.RemissionRate),
                (group.Madrs, group.Madrs.ResponseRate),
                (group.Madrs, group.Madrs.RemissionRate),
            };
            for (var s = 0; s < Series.Length; s++)
            {
                var (f, rate) = figures[s];
                var bx = x + (s * BarWidth);
                var h = rate is { } r ? (double)(r * PlotHeight) : 0d;
                xml.WriteStartElement("rect");
                xml.WriteAttributeString("x", Invariant($"{bx + 1}"));
                xml.WriteAttributeString("y", Invariant($"{baseY - h:0.##}"));
                xml.WriteAttributeString("width", Invariant($"{BarWidth - 2}"));
                xml.WriteAttributeString("height", Invariant($"{h:0.##}"));
                xml.WriteAttributeString("fill", Series[s].Colour);
                xml.WriteAttributeString("data-panel", key);
                xml.WriteAttributeString("data-group", group.Key);
                xml.WriteAttributeString("data-series", Series[s].Key);
                xml.WriteAttributeString("data-n", Invariant($"{f.Counted}"));
                xml.WriteAttributeString("data-rate", rate is { } v ? v.ToString(CultureInfo.InvariantCulture) : "");
                xml.WriteElementString("title", $"{group.Label}, {Series[s].Legend}: "
                    + (rate is { } p ? Invariant($"{p * 100:0.#}% of {f.Counted}") : "none counted"));
                xml.WriteEndElement();
                Text(xml, bx + (BarWidth / 2), (int)(baseY - h) - 4, Invariant($"n={f.Counted}"), size: 9, anchor: "middle");
            }

            var centre = x + (2 * BarWidth);
            Text(xml, centre, baseY + 16, group.Label, anchor: "middle");
            Text(xml, centre, baseY + 30, Invariant($"{group.Plans} {(group.Plans == 1 ? "plan" : "plans")}"), size: 10, anchor: "middle", fill: "#555555");
            x += (Series.Length * BarWidth) + GroupGap;
        }

        xml.WriteEndElement();
    }

    private static void Rect(XmlWriter xml, int x, int y, int w, int h, string fill)
    {
        xml.WriteStartElement("rect");
        Attr(xml, "x", x);
        Attr(xml, "y", y);
        Attr(xml, "width", w);
        Attr(xml, "height", h);
        xml.WriteAttributeString("fill", fill);
        xml.WriteEndElement();
    }

    private static void Line(XmlWriter xml, int x1, int y1, int x2, int y2, string stroke)
    {
        xml.WriteStartElement("line");
        Attr(xml, "x1", x1);
        Attr(xml, "y1", y1);
        Attr(xml, "x2", x2);
        Attr(xml, "y2", y2);
        xml.WriteAttributeString("stroke", stroke);
        xml.WriteAttributeString("stroke-width", "1");
        xml.WriteEndElement();
    }

    private static void Text(XmlWriter xml, int x, int y, string content, int size = 11, string anchor = "start", string? weight = null,
        string fill = "#000000")
    {
        xml.WriteStartElement("text");
        Attr(xml, "x", x);
        Attr(xml, "y", y);
        Attr(xml, "font-size", size);
        if (anchor != "start")
        {
            xml.WriteAttributeString("text-anchor", anchor);
        }

        if (weight is not null)
        {
            xml.WriteAttributeString("font-weight", weight);
        }

        xml.WriteAttributeString("fill", fill);
        xml.WriteString(content);
        xml.WriteEndElement();
    }

    private static void Attr(XmlWriter xml, string name, int value) => xml.WriteAttributeString(name, value.ToString(CultureInfo.InvariantCulture));

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
