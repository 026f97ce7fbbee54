using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Webhooks;

/// <summary>
/// Where the API may send webhooks (OWASP API7, server-side request forgery): https only unless configured otherwise,
/// no credentials in the URL, and no receiver on a loopback, private, link-local (cloud metadata) or other non-public
/// address unless <see cref="WebhookOptions.AllowPrivateNetworks"/> or the host is in
/// <see cref="WebhookOptions.AllowedHosts"/>. Checked when a subscription is saved (<see cref="Check"/>) and again at
/// every connection on the addresses the name resolves to then (<see cref="IsAllowed"/>), so a name that later
/// resolves to an internal address (DNS rebinding) is still refused; redirects are not followed.
/// </summary>
public sealed class WebhookUrlPolicy(IOptions<WebhookOptions> options)
{
    private WebhookOptions Settings => options.Value;

    /// <summary>Why the URL cannot be a receiver, or null when it can.</summary>
    public string? Check(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return "url must be an absolute https URL.";
        }

        if (uri.Scheme == "http" && Settings.RequireHttps)
        {
            return "url must use https (Webhooks:RequireHttps).";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "url must not carry credentials or a fragment; receivers authenticate deliveries by their signature.";
        }

        if (Settings.AllowedHosts.Count > 0 && !IsListed(uri.IdnHost))
        {
            return "url's host is not in Webhooks:AllowedHosts.";
        }

        if (string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase) && !IsAllowed(uri.IdnHost, IPAddress.Loopback))
        {
            return "url must not point at this server (localhost).";
        }

        if (IPAddress.TryParse(uri.IdnHost, out var address) && !IsAllowed(uri.IdnHost, address))
        {
            return "url must not point at a loopback, private or link-local address (Webhooks:AllowPrivateNetworks).";
        }

        return null;
    }

    /// <summary>Whether the API may connect to <paramref name="address"/> for a receiver named <paramref name="host"/>.</summary>
    public bool IsAllowed(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Settings.AllowPrivateNetworks || IsListed(host) || IsPublic(address);
    }

    private bool IsListed(string host) => Settings.AllowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether an address is on the public internet (not loopback, private, link-local, shared, multicast or reserved).</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224 ||       // this network, private, loopback, multicast, reserved
                     (b[0] == 100 && b[1] >= 64 && b[1] <= 127) ||                  // shared address space (carrier-grade NAT)
                     (b[0] == 169 && b[1] == 254) ||                                // link-local: cloud metadata services
                     (b[0] == 172 && b[1] >= 16 && b[1] <= 31) ||
                     (b[0] == 192 && b[1] == 168) ||
                     (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2)) ||      // protocol assignments, TEST-NET-1
                     (b[0] == 198 && b[1] == 51 && b[2] == 100) ||                  // TEST-NET-2
                     (b[0] == 203 && b[1] == 0 && b[2] == 113) ||                   // TEST-NET-3
                     (b[0] == 198 && (b[1] == 18 || b[1] == 19)));                  // benchmarking
        }

        var v6 = address.GetAddressBytes();
        return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (v6[0] & 0xFE) == 0xFC); // fc00::/7 unique local
    }
}
