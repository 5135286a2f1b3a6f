namespace MailMvc.Templates.Lint.CanIEmail;

/// <summary>How a caniemail CSS feature shows in CSS as written.</summary>
internal enum CssFeatureKind
{
    /// <summary>A property, or one of several (<c>border-radius</c>; <c>margin-top</c> for <c>margin</c>).</summary>
    Property,

    /// <summary>A property with a given value (<c>display:flex</c>).</summary>
    PropertyValue,

    /// <summary>A keyword in a value (<c>max-content</c>, <c>system-ui</c>).</summary>
    ValueKeyword,

    /// <summary>A function in a value (<c>linear-gradient()</c>, <c>calc()</c>).</summary>
    Function,

    /// <summary>A unit after a number (<c>rem</c>, <c>vw</c>, <c>%</c>).</summary>
    Unit,

    /// <summary>An at-rule (<c>@media</c>, <c>@font-face</c>).</summary>
    AtRule,

    /// <summary>A media feature in a media query (<c>prefers-color-scheme</c>).</summary>
    MediaFeature,

    /// <summary>A pseudo-class or pseudo-element in a selector (<c>:hover</c>, <c>::before</c>).</summary>
    Pseudo,

    /// <summary>A kind of selector (attribute, ID, universal, child, siblings).</summary>
    Selector,

    /// <summary><c>!important</c>.</summary>
    Important,

    /// <summary>Custom properties and <c>var()</c>.</summary>
    Variables,
}
