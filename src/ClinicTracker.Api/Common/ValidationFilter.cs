using FluentValidation;

namespace ClinicTracker.Api.Common;

/// <summary>Runs the FluentValidation validator of a request body before the handler; the one rule system of the API.</summary>
public static class ValidationExtensions
{
    public static RouteHandlerBuilder Validate<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : class =>
        builder.AddEndpointFilter<ValidationFilter<TRequest>>().ProducesValidationProblem();

    private sealed class ValidationFilter<TRequest>(IValidator<TRequest> validator) : IEndpointFilter
        where TRequest : class
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
            if (request is null)
            {
                return Problems.Validation("body", "A JSON request body is required.");
            }

            var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
            return result.IsValid ? await next(context) : Problems.Validation(result.ToDictionary());
        }
    }
}
