using ClinicTracker.Api.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Webhooks;

/// <summary>Webhook subscriptions and their delivery log (ADR 0021; docs/integrators.md, Webhooks): admins only.</summary>
public static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Admin);
        group.MapPost("/subscriptions", CreateWebhookSubscription).WithName(nameof(CreateWebhookSubscription))
            .WithSummary("Subscribe a receiver to events. The answer holds the signing secret; it is not shown again (rotate-secret makes a new one).")
            .Idempotent().Validate<CreateWebhookSubscriptionRequest>()
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "webhook.url-invalid", "webhook.site-unknown");
        group.MapGet("/subscriptions", ListWebhookSubscriptions).WithName(nameof(ListWebhookSubscriptions))
            .WithSummary("The subscriptions in creation order; active=true or false filters.").ProducesValidationProblem();
        group.MapGet("/subscriptions/{subscriptionId:guid}", GetWebhookSubscription).WithName(nameof(GetWebhookSubscription))
            .WithSummary("Read a subscription (without its secret); the ETag header is its version.").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/subscriptions/{subscriptionId:guid}", UpdateWebhookSubscription).WithName(nameof(UpdateWebhookSubscription))
            .WithSummary("Change a subscription; active=false stops deliveries (subscriptions are deactivated, never deleted: the log stays). If-Match is honoured when sent.")
            .Validate<UpdateWebhookSubscriptionRequest>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status412PreconditionFailed, "precondition.failed")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "webhook.url-invalid", "webhook.site-unknown");
        group.MapPost("/subscriptions/{subscriptionId:guid}/rotate-secret", RotateWebhookSecret).WithName(nameof(RotateWebhookSecret))
            .WithSummary("Replace the signing secret; the answer holds the new one. Attempts from now on are signed with it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/subscriptions/{subscriptionId:guid}/ping", PingWebhookSubscription).WithName(nameof(PingWebhookSubscription))
            .WithSummary("Send a webhook.ping test event to this subscription alone; follow the delivery at the Location.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "webhook.subscription-inactive");
        group.MapGet("/deliveries", ListWebhookDeliveries).WithName(nameof(ListWebhookDeliveries))
            .WithSummary("The delivery log, newest first; filter by subscriptionId, eventId, eventType, status (pending, delivered, failed).")
            .ProducesValidationProblem();
        group.MapGet("/deliveries/{deliveryId:guid}", GetWebhookDelivery).WithName(nameof(GetWebhookDelivery))
            .WithSummary("A delivery with its body and every attempt (time, duration, status code, error class).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/deliveries/{deliveryId:guid}/redeliver", RedeliverWebhook).WithName(nameof(RedeliverWebhook))
            .WithSummary("Send a failed (or delivered) delivery again: a new round of attempts starts now, with the same webhook-id.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "webhook.delivery-pending");
        return group;
    }

    private static async Task<Results<Created<WebhookSubscriptionResponse>, ProblemHttpResult>> CreateWebhookSubscription(
        CreateWebhookSubscriptionRequest request, ClinicDbContext db, WebhookUrlPolicy policy, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await RefuseAsync(db, policy, request.Url!, request.SiteIds, ct) is { } refused)
        {
            return refused;
        }

        var subscription = WebhookSubscription.Create(request.Url!, request.EventTypes!, request.SiteIds, request.Description, request.Active ?? true,
            http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, subscription.Version);
        return TypedResults.Created($"/api/v1/webhooks/subscriptions/{subscription.Id}", WebhookSubscriptionResponse.From(subscription, withSecret: true));
    }

    /// <param name="active">Only active (true) or inactive (false) subscriptions; all when absent.</param>
    private static async Task<Results<Ok<Page<WebhookSubscriptionResponse>>, ValidationProblem>> ListWebhookSubscriptions(
        ClinicDbContext db, CancellationToken ct, bool? active = null, int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (position is not null && !Guid.TryParse(position, out _))
        {
            return Problems.Validation("cursor", "cursor is not one this API issued.");
        }

        var query = db.WebhookSubscriptions.AsNoTracking();
        query = active is null ? query : query.Where(s => s.Active == active);
        if (position is not null)
        {
            var last = Guid.Parse(position);
            query = query.Where(s => s.Id.CompareTo(last) > 0);
        }

        // Creation order: version-7 ids grow with creation time.
        var rows = await query.OrderBy(s => s.Id).Take(pageSize + 1).ToListAsync(ct);
        var next = rows.Count > pageSize ? Paging.Encode(rows[pageSize - 1].Id.ToString()) : null;
        return TypedResults.Ok(new Page<WebhookSubscriptionResponse>([.. rows.Take(pageSize).Select(s => WebhookSubscriptionResponse.From(s))], next));
    }

    /// <param name="subscriptionId">The subscription's id.</param>
    private static async Task<Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult>> GetWebhookSubscription(
        Guid subscriptionId, ClinicDbContext db, HttpContext http, CancellationToken ct)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, ct);
        if (subscription is null)
        {
            return Problems.NotFound("webhook subscription", subscriptionId);
        }

        ETags.Set(http.Response, subscription.Version);
        return TypedResults.Ok(WebhookSubscriptionResponse.From(subscription));
    }

    /// <param name="subscriptionId">The subscription's id.</param>
    private static async Task<Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult>> UpdateWebhookSubscription(
        Guid subscriptionId, UpdateWebhookSubscriptionRequest request, ClinicDbContext db, WebhookUrlPolicy policy, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId, ct);
        if (subscription is null)
        {
            return Problems.NotFound("webhook subscription", subscriptionId);
        }

        if (http.Request.Headers.IfMatch.Count > 0 && ETags.CheckIfMatch(http.Request, subscription.Version) is { } precondition)
        {
            return precondition;
        }

        if (await RefuseAsync(db, policy, request.Url ?? subscription.Url, request.SiteIds, ct) is { } refused)
        {
            return refused;
        }

        subscription.Change(request.Url, request.EventTypes, request.SiteIds, request.Description, request.Active, http.User.UserName(),
            clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, subscription.Version);
        return TypedResults.Ok(WebhookSubscriptionResponse.From(subscription));
    }

    /// <param name="subscriptionId">The subscription's id.</param>
    private static async Task<Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult>> RotateWebhookSecret(
        Guid subscriptionId, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var subscription = await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId, ct);
        if (subscription is null)
        {
            return Problems.NotFound("webhook subscription", subscriptionId);
        }

        subscription.RotateSecret(http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, subscription.Version);
        return TypedResults.Ok(WebhookSubscriptionResponse.From(subscription, withSecret: true));
    }

    /// <param name="subscriptionId">The subscription's id.</param>
    private static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> PingWebhookSubscription(
        Guid subscriptionId, ClinicDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId, ct);
        if (subscription is null)
        {
            return Problems.NotFound("webhook subscription", subscriptionId);
        }

        if (!subscription.Active)
        {
            return Problems.Conflict("webhook.subscription-inactive", "The subscription is not active.", "Activate it (PATCH active=true) before sending a ping.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var ping = WebhookEvent.Ping(subscription.Id, now);
        Outbox.Add(db, ping);
        var delivery = WebhookDelivery.For(subscription.Id, ping, now);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        return TypedResults.Accepted($"/api/v1/webhooks/deliveries/{delivery.Id}", WebhookDeliveryResponse.From(delivery));
    }

    /// <param name="subscriptionId">Only deliveries to this subscription.</param>
    /// <param name="eventId">Only deliveries of this event (its webhook-id).</param>
    /// <param name="eventType">Only deliveries of this event type, e.g. `dose.recorded`.</param>
    /// <param name="status">Only deliveries in this state: `pending`, `delivered` or `failed`.</param>
    private static async Task<Results<Ok<Page<WebhookDeliveryResponse>>, ValidationProblem>> ListWebhookDeliveries(
        ClinicDbContext db, QueryValues values, CancellationToken ct, Guid? subscriptionId = null, Guid? eventId = null, string? eventType = null,
        [QueryEnum(typeof(WebhookDeliveryStatus))] string? status = null, int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!values.TryEnum<WebhookDeliveryStatus>(status, out var statusFilter))
        {
            return Problems.Validation("status", "status must be one of pending, delivered, failed.");
        }

        var query = db.WebhookDeliveries.AsNoTracking();
        query = subscriptionId is null ? query : query.Where(d => d.SubscriptionId == subscriptionId);
        query = eventId is null ? query : query.Where(d => d.EventId == eventId);
        query = eventType is null ? query : query.Where(d => d.EventType == eventType);
        query = statusFilter is null ? query : query.Where(d => d.Status == statusFilter);
        if (position is not null)
        {
            if (!Guid.TryParse(position, out var last))
            {
                return Problems.Validation("cursor", "cursor is not one this API issued.");
            }

            query = query.Where(d => d.Id.CompareTo(last) < 0);
        }

        // Newest first: version-7 ids grow with the dispatch time.
        var rows = await query.OrderByDescending(d => d.Id).Take(pageSize + 1).ToListAsync(ct);
        var next = rows.Count > pageSize ? Paging.Encode(rows[pageSize - 1].Id.ToString()) : null;
        return TypedResults.Ok(new Page<WebhookDeliveryResponse>([.. rows.Take(pageSize).Select(WebhookDeliveryResponse.From)], next));
    }

    /// <param name="deliveryId">The delivery's id.</param>
    private static async Task<Results<Ok<WebhookDeliveryDetailResponse>, ProblemHttpResult>> GetWebhookDelivery(
        Guid deliveryId, ClinicDbContext db, CancellationToken ct)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null)
        {
            return Problems.NotFound("webhook delivery", deliveryId);
        }

        var payload = await db.OutboxEvents.AsNoTracking().Where(e => e.Id == delivery.EventId).Select(e => e.Payload).FirstAsync(ct);
        var log = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.Number)
            .Select(a => new WebhookAttemptResponse(a.Number, a.AttemptedAt, a.DurationMs, a.StatusCode, a.Error)).ToListAsync(ct);
        return TypedResults.Ok(new WebhookDeliveryDetailResponse(WebhookDeliveryResponse.From(delivery), payload, log));
    }

    /// <param name="deliveryId">The delivery's id.</param>
    private static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> RedeliverWebhook(
        Guid deliveryId, ClinicDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null)
        {
            return Problems.NotFound("webhook delivery", deliveryId);
        }

        if (delivery.Redeliver(clock.GetUtcNow().UtcDateTime) is { } refused)
        {
            return refused.ToProblem();
        }

        // Written over the version read (a concurrency token): a worker's write in between is a 409 from the exception handler.
        await db.SaveChangesAsync(ct);
        return TypedResults.Accepted($"/api/v1/webhooks/deliveries/{delivery.Id}", WebhookDeliveryResponse.From(delivery));
    }

    /// <summary>The URL policy's refusal (webhook.url-invalid) or an unknown site (webhook.site-unknown), else null.</summary>
    private static async Task<ProblemHttpResult?> RefuseAsync(
        ClinicDbContext db, WebhookUrlPolicy policy, string url, IReadOnlyList<Guid>? siteIds, CancellationToken ct)
    {
        if (policy.Check(url) is { } why)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "webhook.url-invalid", "The receiver URL is not allowed.", why);
        }

        if (siteIds is { Count: > 0 })
        {
            var wanted = siteIds.Distinct().ToList();
            var known = await db.Sites.AsNoTracking().CountAsync(s => wanted.Contains(s.Id), ct);
            if (known != wanted.Count)
            {
                return Problems.Create(StatusCodes.Status422UnprocessableEntity, "webhook.site-unknown", "A site is not known.",
                    "Every id in siteIds must be a site of the group (GET /api/v1/sites).");
            }
        }

        return null;
    }
}
