namespace MailMvc.Docs.Tests;

/// <summary>One fenced C# block of a document.</summary>
/// <param name="Document">The document's path under the repository root.</param>
/// <param name="Line">The line the code starts on (1-based).</param>
/// <param name="Lines">Its significant lines: trimmed, blank ones dropped.</param>
internal sealed record CodeBlock(string Document, int Line, IReadOnlyList<string> Lines)
{
    public string FirstLine => Lines.Count == 0 ? "(empty)" : Lines[0];

    public override string ToString() => $"{Document}:{Line} ({FirstLine})";
}
