using FluentValidation;

namespace ClinicTracker.Api.Common;

/// <summary>Runs the FluentValidation validator of a request body before the handler; the one rule system of the API.</summary>
public static class ValidationExtensions
{
    /// <summary>Validates the <typeparamref name="TRequest"/> body; with <paramref name="optionalBody"/> an absent body passes.</summary>
    public static RouteHandlerBuilder Validate<TRequest>(this RouteHandlerBuilder builder, bool optionalBody = false)
        where TRequest : class =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
            if (request is null)
            {
                return optionalBody ? await next(context) : Problems.Validation("body", "A JSON request body is required.");
            }

            var validator = context.HttpContext.RequestServices.GetRequiredService<IValidator<TRequest>>();

            var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
            return result.IsValid ? await next(context) : Problems.Validation(result.ToDictionary());
        }).ProducesValidationProblem();
}
