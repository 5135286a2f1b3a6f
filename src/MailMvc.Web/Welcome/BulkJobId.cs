using System.Buffers.Text;
using System.Security.Cryptography;

namespace MailMvc.Web.Welcome;

/// <summary>Job ids: 128 random bits written URL-safe (22 characters), so one job's address says nothing about another's.</summary>
public static class BulkJobId
{
    /// <summary>The length of an id.</summary>
    public const int Length = 22;

    /// <summary>A new random id.</summary>
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>True when <paramref name="id"/> has an id's shape (checked before it reaches the store).</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: Length } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
