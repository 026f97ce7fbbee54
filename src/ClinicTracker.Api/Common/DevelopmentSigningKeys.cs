using System.Reflection;
using Microsoft.Extensions.Configuration.UserSecrets;
using Microsoft.IdentityModel.Tokens;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Development only: the signing keys `dotnet user-jwts` keeps in the user secrets, read when a token is
/// validated, so the README's order (start the API, then mint a token) works on a fresh machine.
/// The configuration's user-secrets source cannot be relied on for them: <c>AddUserSecrets</c> gives its JSON
/// source a file provider only if ~/.microsoft/usersecrets/&lt;id&gt;/ exists when the API starts; otherwise the
/// source looks for (and watches) "secrets.json" in the content root, so the key the tool writes later is never
/// loaded until a restart. (Once that directory exists, reload-on-change works: the bearer options read
/// SigningKeys from the configuration at each validation.)
/// </summary>
internal sealed class DevelopmentSigningKeys(string path)
{
    private readonly Lock gate = new();
    private byte[] read = [];
    private IReadOnlyList<(string? Issuer, SecurityKey Key)> keys = [];

    /// <summary>The secrets.json of this project's UserSecretsId (~/.microsoft/usersecrets/&lt;id&gt;/secrets.json).</summary>
    public static string UserSecretsFile() =>
        PathHelper.GetSecretsPathFromSecretsId(typeof(DevelopmentSigningKeys).Assembly.GetCustomAttribute<UserSecretsIdAttribute>()?.UserSecretsId
            ?? throw new InvalidOperationException("The API project has no UserSecretsId."));

    /// <summary>Validation tries the configured keys plus the developer keys of the token's issuer.</summary>
    public static void Attach(TokenValidationParameters parameters, string path)
    {
        var developer = new DevelopmentSigningKeys(path);
        parameters.IssuerSigningKeyResolver = (_, token, _, current) =>
            [.. current.IssuerSigningKeys ?? [], .. developer.For(token.Issuer)];
    }

    private IEnumerable<SecurityKey> For(string? issuer)
    {
        byte[] content;
        try
        {
            // One small file per validated token, in Development only; parsed again only when it changed.
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No key yet (or the tool is writing it): only the configured keys apply.
            return [];
        }

        lock (gate)
        {
            if (!content.AsSpan().SequenceEqual(read))
            {
                keys = Parse(content);
                read = content;
            }

            return [.. keys.Where(k => k.Issuer == issuer).Select(k => k.Key)];
        }
    }

    private static IReadOnlyList<(string? Issuer, SecurityKey Key)> Parse(byte[] content)
    {
        try
        {
            // The same reader as the configuration: user-jwts writes flat "a:b:c" keys, a hand edit may nest them.
            var secrets = new ConfigurationBuilder().AddJsonStream(new MemoryStream(content)).Build();
            var parsed = new List<(string?, SecurityKey)>();
            foreach (var entry in secrets.GetSection("Authentication:Schemes:Bearer:SigningKeys").GetChildren())
            {
                if (entry["Value"] is { } value && Convert.TryFromBase64String(value, new byte[value.Length], out var length) && length >= 32)
                {
                    parsed.Add((entry["Issuer"], new SymmetricSecurityKey(Convert.FromBase64String(value))));
                }
            }

            return parsed;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            // Half-written or hand-broken JSON: no developer key until the file is whole again.
            return [];
        }
    }
}
