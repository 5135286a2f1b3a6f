namespace MailMvc.Templates.Css;

/// <summary>One <c>property: value</c> pair as written, the property in lower case.</summary>
/// <param name="Property">The property name, lower case (<c>border-radius</c>, <c>--brand</c>).</param>
/// <param name="Value">The value as written, without <c>!important</c>.</param>
/// <param name="Important">True when the value ended in <c>!important</c>.</param>
internal sealed record CssDeclaration(string Property, string Value, bool Important)
{
    public override string ToString() => Important ? $"{Property}:{Value} !important" : $"{Property}:{Value}";
}
