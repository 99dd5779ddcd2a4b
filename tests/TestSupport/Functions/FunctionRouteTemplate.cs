using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace SessionsServerless.TestSupport;

/// <summary>
/// An HTTP function's route as the Functions host routes it: an ASP.NET Core route template (route prefix included)
/// matched by <see cref="TemplateMatcher"/> with its defaults, then its inline constraints (<c>{id:int}</c>,
/// <c>{name:alpha}</c>, <c>{x:regex(…)}</c>, …) resolved by ASP.NET Core's constraint resolver and checked as the
/// routing <c>Route</c> checks them: an optional parameter (<c>{x?}</c>, <c>{x:int?}</c>) that is absent passes its
/// constraints, a present one must satisfy them. Used by both local hosts (custom handler and isolated worker).
/// </summary>
internal sealed class FunctionRouteTemplate
{
    private static readonly IInlineConstraintResolver ConstraintResolver =
        new ServiceCollection().AddRouting().BuildServiceProvider().GetRequiredService<IInlineConstraintResolver>();

    private readonly TemplateMatcher _matcher;
    private readonly IDictionary<string, IRouteConstraint> _constraints;

    /// <summary>Parses the route; an unknown constraint name fails here, as it fails the host's indexing of the function.</summary>
    /// <param name="routePrefix">host.json's <c>extensions.http.routePrefix</c> (empty: routes at the root).</param>
    /// <param name="route">The trigger's <c>route</c>, or the function's name when it declares none.</param>
    public FunctionRouteTemplate(string routePrefix, string route)
    {
        string prefix = routePrefix.Trim('/');
        string trimmed = route.Trim('/');
        Text = prefix.Length == 0 ? trimmed : trimmed.Length == 0 ? prefix : prefix + "/" + trimmed;
        Template = TemplateParser.Parse(Text);
        var defaults = new RouteValueDictionary();
        var constraints = new RouteConstraintBuilder(ConstraintResolver, Text);
        foreach (var parameter in Template.Parameters)
        {
            if (parameter.DefaultValue is not null)
            {
                defaults[parameter.Name!] = parameter.DefaultValue;
            }

            if (parameter.IsOptional)
            {
                constraints.SetOptional(parameter.Name!);
            }

            foreach (var inline in parameter.InlineConstraints)
            {
                constraints.AddResolvedConstraint(parameter.Name!, inline.Constraint);
            }
        }

        _matcher = new TemplateMatcher(Template, defaults);
        _constraints = constraints.Build();
        Precedence = RoutePrecedence.ComputeInbound(Template);
    }

    /// <summary>The full template text, prefix included.</summary>
    public string Text { get; }

    public RouteTemplate Template { get; }

    /// <summary>Lower is more specific (literal segments before parameters before catch-alls), as ASP.NET Core orders routes.</summary>
    public decimal Precedence { get; }

    /// <summary>The route values when <paramref name="path"/> matches the template and satisfies its constraints, otherwise <see langword="null"/>.</summary>
    /// <param name="path">The request path, decoded as Kestrel decodes it (everything but %2F).</param>
    /// <param name="context">The request, for constraints that look at it (the built-in ones do not).</param>
    public RouteValueDictionary? Match(string path, HttpContext? context = null)
    {
        var values = new RouteValueDictionary();
        if (!_matcher.TryMatch(path, values))
        {
            return null;
        }

        foreach (var (name, constraint) in _constraints)
        {
            if (!constraint.Match(context, null, name, values, RouteDirection.IncomingRequest))
            {
                return null;
            }
        }

        return values;
    }
}
