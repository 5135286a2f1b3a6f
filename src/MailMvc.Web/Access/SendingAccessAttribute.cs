using Microsoft.Extensions.Options;

namespace MailMvc.Web.Access;

/// <summary>The sending pages: everyone in Development; elsewhere users in <see cref="SendingOptions.Role"/>, or
/// anyone when <see cref="SendingOptions.AllowAnonymous"/> is on.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SendingAccessAttribute : DevelopmentOrAllowedAttribute
{
    protected override bool IsAllowedOutsideDevelopment(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.RequestServices.GetRequiredService<IOptions<SendingOptions>>().Value;
        return options.AllowAnonymous || (!string.IsNullOrWhiteSpace(options.Role) && context.User.IsInRole(options.Role));
    }
}
