using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MailMvc.Web;

/// <summary>Copies FluentValidation's errors into MVC's model state, so they show beside their fields.</summary>
public static class ValidationResultExtensions
{
    public static void AddToModelState(this ValidationResult result, ModelStateDictionary modelState, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(modelState);
        foreach (var error in result.Errors)
        {
            modelState.AddModelError(prefix + error.PropertyName, error.ErrorMessage);
        }
    }
}
