using ClinicTracker.Api.Common;
using ClinicTracker.Api.Plans;

namespace ClinicTracker.Api.Tests.Validation;

/// <summary>The ItemCount rule, whose bounds the OpenAPI document shows as minItems/maxItems.</summary>
public sealed class ItemCountTests
{
    private static readonly PlanPhaseRequestValidator Phase = Create();

    private static PlanPhaseRequestValidator Create()
    {
        ValidationSetup.Configure();
        return new PlanPhaseRequestValidator();
    }

    [Theory]
    [InlineData(0, false)] // a weekday pattern needs at least one day
    [InlineData(1, true)]
    [InlineData(7, true)]
    [InlineData(8, false)] // a week has 7 days
    public void Weekdays_OneToSeven(int count, bool valid)
    {
        var weekdays = Enumerable.Range(0, count).Select(i => (DayOfWeek)(i % 7)).ToList();

        var result = Phase.Validate(new PlanPhaseRequest { Name = "maintenance", Sessions = 4, Weekdays = weekdays });

        Assert.Equal(valid, result.Errors.All(e => e.PropertyName != "weekdays"));
    }

    [Fact]
    public void NullList_IsLeftToNotNull() =>
        Assert.True(Phase.Validate(new PlanPhaseRequest { Name = "induction", Sessions = 6, EveryDays = 3 }).IsValid);

    [Fact]
    public void Validator_ExposesItsBounds()
    {
        var count = new ItemCountValidator<PlanPhaseRequest, DayOfWeek>(1, 7);

        Assert.Equal((1, 7), (count.Min, count.Max));
    }
}
