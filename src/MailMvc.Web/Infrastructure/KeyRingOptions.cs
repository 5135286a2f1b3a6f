namespace MailMvc.Web.Infrastructure;

/// <summary>Where the keys that protect antiforgery tokens and TempData cookies live, section <c>DataProtection</c>.
/// Several instances behind a balancer must share them (and the application name), or a form served by one instance
/// is refused by the next.</summary>
public sealed class KeyRingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "DataProtection";

    /// <summary>A folder every instance reads and writes (a shared volume; a relative path is under the app's folder);
    /// unset means ASP.NET Core's default, the user profile of this machine.</summary>
    public string? KeysPath { get; set; }

    /// <summary>The name that keeps this app's protected data apart from other apps sharing the keys. Without a fixed
    /// name ASP.NET Core uses the app's folder, which differs between machines.</summary>
    public string ApplicationName { get; set; } = "MailMvc";
}
