namespace MailMvc.Mail.Tests.Integration;

/// <summary>One request a <see cref="TokenEndpoint"/> received: its path and form fields.</summary>
internal sealed record TokenEndpointRequest(string Path, IReadOnlyDictionary<string, string> Form);
