namespace MailMvc.Web.Suppressions;

/// <summary>The suppressions page's add form.</summary>
public sealed class SuppressionForm
{
    /// <summary>The address to suppress.</summary>
    public string? Address { get; set; }

    /// <summary>Why, for whoever reads the list later.</summary>
    public string? Note { get; set; }
}
