namespace MailMvc.Web.Access;

/// <summary>Developer pages: everyone in Development; elsewhere nobody, so they answer 404 and do not exist in
/// production.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class DevelopmentOnlyAttribute : DevelopmentOrAllowedAttribute
{
    protected override bool IsAllowedOutsideDevelopment(HttpContext context) => false;
}
