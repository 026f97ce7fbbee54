using ClinicTracker.Api.Common;
using ClinicTracker.Core.Webhooks;
using FluentValidation;

namespace ClinicTracker.Api.Webhooks;

public sealed class CreateWebhookSubscriptionRequestValidator : AbstractValidator<CreateWebhookSubscriptionRequest>
{
    internal const string UrlMessage = "url must be an absolute http(s) URL of at most 2000 characters.";
    internal static readonly string TypesMessage = "eventTypes must name one or more of " + string.Join(", ", WebhookEventTypes.Subscribable) + ".";

    public CreateWebhookSubscriptionRequestValidator()
    {
        RuleFor(r => r.Url).NotEmpty().MaximumLength(2000).Must(IsHttpUrl).WithMessage(UrlMessage);
        RuleFor(r => r.EventTypes).NotEmpty().WithMessage(TypesMessage).Must(AreKnown).WithMessage(TypesMessage);
        RuleFor(r => r.SiteIds).Must(s => s is null || s.Count <= 100).WithMessage("siteIds may name at most 100 sites.");
        RuleFor(r => r.Description).MaximumLength(200).Visible();
    }

    internal static bool IsHttpUrl(string? url) =>
        url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http");

    internal static bool AreKnown(IReadOnlyList<string>? types) =>
        types is null || types.All(t => WebhookEventTypes.Subscribable.Contains(t, StringComparer.Ordinal));
}

public sealed class UpdateWebhookSubscriptionRequestValidator : AbstractValidator<UpdateWebhookSubscriptionRequest>
{
    public UpdateWebhookSubscriptionRequestValidator()
    {
        RuleFor(r => r.Url).NotEmpty().MaximumLength(2000).Must(CreateWebhookSubscriptionRequestValidator.IsHttpUrl)
            .WithMessage(CreateWebhookSubscriptionRequestValidator.UrlMessage).When(r => r.Url is not null);
        RuleFor(r => r.EventTypes).NotEmpty().WithMessage(CreateWebhookSubscriptionRequestValidator.TypesMessage)
            .Must(CreateWebhookSubscriptionRequestValidator.AreKnown).WithMessage(CreateWebhookSubscriptionRequestValidator.TypesMessage)
            .When(r => r.EventTypes is not null);
        RuleFor(r => r.SiteIds).Must(s => s is null || s.Count <= 100).WithMessage("siteIds may name at most 100 sites.");
        RuleFor(r => r.Description).MaximumLength(200).Visible();
        RuleFor(r => r).Must(r => r.Url is not null || r.EventTypes is not null || r.SiteIds is not null || r.Description is not null || r.Active is not null)
            .WithName("body").WithMessage("Send at least one of url, eventTypes, siteIds, description, active.");
    }
}
