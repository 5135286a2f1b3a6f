using System.Text.Json;

namespace MailMvc.Templates.Lint.CanIEmail;

/// <summary>
/// The CSS features of the caniemail data set (caniemail.json, embedded; see README.md beside it) with each
/// client's support for the newest version the data lists, and how to recognise each feature in CSS as written.
/// Read once, on first use.
/// </summary>
internal sealed class CanIEmailData
{
    private const string ResourceName = "MailMvc.Templates.Lint.CanIEmail.caniemail.json";

    private static readonly Lazy<CanIEmailData> s_default = new(Load);

    private CanIEmailData(IReadOnlyDictionary<string, string> clients, IReadOnlyList<CssFeature> features)
    {
        Clients = clients;
        Features = features;
    }

    public static CanIEmailData Default => s_default.Value;

    /// <summary>Every client the data set knows, as <c>family.platform</c> (<c>outlook.windows</c>) to its name
    /// (<c>Outlook Windows</c>).</summary>
    public IReadOnlyDictionary<string, string> Clients { get; }

    public IReadOnlyList<CssFeature> Features { get; }

    private static CanIEmailData Load()
    {
        using var stream = typeof(CanIEmailData).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded caniemail data ({ResourceName}) is missing from {typeof(CanIEmailData).Assembly.GetName().Name}.");
        using var json = JsonDocument.Parse(stream);
        var nicenames = json.RootElement.GetProperty("nicenames");
        var families = nicenames.GetProperty("family");
        var platforms = nicenames.GetProperty("platform");
        var clients = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var features = new List<CssFeature>();
        foreach (var item in json.RootElement.GetProperty("data").EnumerateArray())
        {
            if (item.GetProperty("category").GetString() != "css")
            {
                continue;
            }

            var support = new Dictionary<string, char>(StringComparer.Ordinal);
            foreach (var family in item.GetProperty("stats").EnumerateObject())
            {
                foreach (var platform in family.Value.EnumerateObject())
                {
                    var key = $"{family.Name}.{platform.Name}";
                    clients.TryAdd(key, $"{Name(families, family.Name)} {Name(platforms, platform.Name)}");

                    // The versions are listed oldest first; the newest says what readers meet today.
                    var newest = platform.Value.EnumerateObject().LastOrDefault();
                    if (newest.Value.ValueKind == JsonValueKind.String && newest.Value.GetString() is { Length: > 0 } value)
                    {
                        support[key] = value[0];
                    }
                }
            }

            var slug = item.GetProperty("slug").GetString()!;
            var title = item.GetProperty("title").GetString()!.Trim();
            var keywords = item.TryGetProperty("keywords", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : string.Empty;
            var url = item.GetProperty("url").GetString()!;
            if (CssFeature.Create(slug, title, keywords, url, support) is { } feature)
            {
                features.Add(feature);
            }
        }

        return new CanIEmailData(clients, features);
    }

    private static string Name(JsonElement names, string key) =>
        names.TryGetProperty(key, out var name) && name.GetString() is { } text ? text : key;
}
