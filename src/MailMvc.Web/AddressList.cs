namespace MailMvc.Web;

/// <summary>Splits what a person typed in To, Cc or Bcc into addresses.</summary>
public static class AddressList
{
    private static readonly char[] s_separators = [',', ';'];

    /// <summary>The addresses in <paramref name="text"/>, separated by commas or semicolons, blanks dropped.</summary>
    public static IReadOnlyList<string> Split(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(s_separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
