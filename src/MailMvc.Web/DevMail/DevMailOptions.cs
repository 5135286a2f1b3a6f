namespace MailMvc.Web.DevMail;

/// <summary>Settings of the Development mail previews, section <c>DevMail</c>.</summary>
public sealed class DevMailOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "DevMail";

    /// <summary>The only addresses a preview may be sent to ("Send this preview"), separated by commas or semicolons,
    /// such as your own; unset (the default) means nothing is ever sent from the preview page.</summary>
    public string? SendPreviewTo { get; set; }

    /// <summary>The addresses in <see cref="SendPreviewTo"/>.</summary>
    public IReadOnlyList<string> Recipients => AddressList.Split(SendPreviewTo);

    /// <summary>Whether <paramref name="address"/> is one of <see cref="Recipients"/> (case does not matter).</summary>
    public bool Allows(string? address) =>
        !string.IsNullOrWhiteSpace(address) && Recipients.Contains(address.Trim(), StringComparer.OrdinalIgnoreCase);
}
