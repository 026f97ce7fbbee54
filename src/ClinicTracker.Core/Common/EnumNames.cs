using System.Text.Json;

namespace ClinicTracker.Core.Common;

/// <summary>Enum values as the API spells them ("checked-in", "in-progress"), for problem details and messages.</summary>
public static class EnumNames
{
    public static string Kebab<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
