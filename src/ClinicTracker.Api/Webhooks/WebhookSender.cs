using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace ClinicTracker.Api.Webhooks;

/// <summary>What one attempt came to: the receiver's status if one answered, and a failure class if it was not a 2xx.</summary>
public sealed record WebhookAttemptResult(int? StatusCode, string? Error, int DurationMs)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Sends one signed delivery (Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>
/// = <c>v1,</c>base64 HMAC-SHA256 of "id.timestamp.body" under the subscription's secret). The response body is never
/// read beyond what the connection needs, never logged or stored.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider clock)
{
    /// <summary>The named HttpClient (<see cref="WebhookSetup"/>): no redirects, the URL policy at every connection.</summary>
    public const string ClientName = "webhooks";

    public async Task<WebhookAttemptResult> SendAsync(string url, string secret, Guid eventId, string payload, CancellationToken ct)
    {
        var id = eventId.ToString();
        var timestamp = clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(secret).Sign(id, timestamp, payload));
        request.Headers.UserAgent.ParseAdd("ClinicTracker-Webhooks/1.0");

        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return new(status, status is >= 200 and < 300 ? null : $"http-{status}", Elapsed(watch));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(null, "timeout", Elapsed(watch));
        }
        catch (HttpRequestException e)
        {
            // A class, never the message (it may quote the URL's query or the server's words).
            var error = e.InnerException is BlockedAddressException ? "blocked-address"
                : e.HttpRequestError == HttpRequestError.SecureConnectionError ? "tls"
                : e.HttpRequestError == HttpRequestError.NameResolutionError ? "dns"
                : e.InnerException is SocketException socket ? $"connection-{socket.SocketErrorCode}".ToLowerInvariant()
                : "connection";
            return new(null, error, Elapsed(watch));
        }
    }

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

    /// <summary>
    /// The connection step of the webhook client: resolves the host, keeps the addresses the URL policy allows, and
    /// connects to the first that answers. A refused address is never connected to.
    /// </summary>
    internal static async ValueTask<Stream> ConnectAsync(WebhookUrlPolicy policy, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = addresses.Where(a => policy.IsAllowed(host, a)).ToList();
        if (allowed.Count == 0)
        {
            throw new BlockedAddressException();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync([.. allowed], context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The receiver's name resolved only to addresses the URL policy refuses.</summary>
    internal sealed class BlockedAddressException : Exception
    {
        public BlockedAddressException()
            : base("The receiver's address is not allowed (Webhooks:AllowPrivateNetworks, Webhooks:AllowedHosts).")
        {
        }
    }
}
