namespace HelloApp;

/// <summary>The model of Templates/Hello.cshtml.</summary>
public sealed record HelloModel(string Name, int UnreadCount);
