using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ClinicTracker.Bench;

/// <summary>
/// An HS256 JWT shaped like the tests' and `dotnet user-jwts`' tokens (unique_name, sub, role), for timing
/// the running API with a key given to it through configuration. Benchmarks only: never a production key.
/// </summary>
public static class BenchToken
{
    public static string Create(string issuer, string audience, string signingKeyBase64, string userName, string role, DateTime nowUtc)
    {
        var header = Encode(new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" });
        var seconds = new DateTimeOffset(nowUtc).ToUnixTimeSeconds();
        var payload = Encode(new Dictionary<string, object>
        {
            ["unique_name"] = userName,
            ["sub"] = userName,
            ["role"] = role,
            ["iss"] = issuer,
            ["aud"] = audience,
            ["nbf"] = seconds - 60,
            ["iat"] = seconds,
            ["exp"] = seconds + 3600,
        });
        var signature = HMACSHA256.HashData(Convert.FromBase64String(signingKeyBase64), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url.EncodeToString(signature)}";
    }

    private static string Encode(Dictionary<string, object> part) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(part));
}
