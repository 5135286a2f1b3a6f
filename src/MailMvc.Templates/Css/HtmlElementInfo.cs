using System.Runtime.CompilerServices;

namespace MailMvc.Templates.Css;

/// <summary>What a selector looks at in one start tag: its name, id, classes and, when the sheet has attribute
/// selectors, its other attributes (values as written).</summary>
internal sealed class HtmlElementInfo(string name, string? id, string? classes, IReadOnlyList<(string Name, string Value)>? attributes)
{
    /// <summary>The tag name, lower case.</summary>
    public string Name { get; } = name;

    public string? Id { get; } = id;

    public string? Attribute(string attribute)
    {
        switch (attribute)
        {
            case "id":
                return Id;
            case "class":
                return classes;
        }

        if (attributes is not null)
        {
            foreach (var (key, value) in attributes)
            {
                if (key == attribute)
                {
                    return value;
                }
            }
        }

        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool HasClass(string name)
    {
        // A whole word of the class attribute, found without splitting it: this runs per rule per tag.
        var start = 0;
        while (classes is not null && (start = classes.IndexOf(name, start, StringComparison.Ordinal)) >= 0)
        {
            var end = start + name.Length;
            if ((start == 0 || char.IsWhiteSpace(classes[start - 1])) && (end == classes.Length || char.IsWhiteSpace(classes[end])))
            {
                return true;
            }

            start = end;
        }

        return false;
    }
}
