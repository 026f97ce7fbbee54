namespace ClinicTracker.Core.Sites;

/// <summary>
/// The shape and check digit of a DEA registration number: two letters (the registrant type, then the first letter
/// of the registrant's name, or 9 for some business registrants) and seven digits, the seventh being the last digit
/// of (d1 + d3 + d5) + 2 × (d2 + d4 + d6).
/// </summary>
public static class DeaNumber
{
    public static bool IsValid(string? value)
    {
        if (value is not { Length: 9 } || !char.IsAsciiLetter(value[0]) || !(char.IsAsciiLetter(value[1]) || value[1] == '9'))
        {
            return false;
        }

        var digits = new int[7];
        for (var i = 0; i < 7; i++)
        {
            if (!char.IsAsciiDigit(value[i + 2]))
            {
                return false;
            }

            digits[i] = value[i + 2] - '0';
        }

        var sum = digits[0] + digits[2] + digits[4] + (2 * (digits[1] + digits[3] + digits[5]));
        return sum % 10 == digits[6];
    }
}
