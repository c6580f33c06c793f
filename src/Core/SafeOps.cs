using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Core;

/// <summary>
/// Tensor arithmetic that never hands libtorch a temporary <see cref="Scalar"/> (see <see cref="Scalars"/>).
/// Use these instead of the operators (<c>+ - * /</c> with numbers) and the one-argument
/// <c>add</c>/<c>add_</c> overloads, which create hidden temporaries. Constants only: a value that
/// changes every step must be a <c>using</c> scalar at the call site.
/// </summary>
public static class SafeOps
{
    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.One);

    /// <summary>a + b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, Scalars.One);

    /// <summary>a − b.</summary>
    public static Tensor Minus(this Tensor a, Tensor b) => a.sub(b);

    /// <summary>a + c for a constant c.</summary>
    public static Tensor Plus(this Tensor a, double c) => a.add(Scalars.Float(c), Scalars.One);

    /// <summary>c − a for a constant c.</summary>
    public static Tensor SubtractedFrom(this Tensor a, double c) => a.neg().add_(Scalars.Float(c), Scalars.One);

    /// <summary>a × c for a constant c.</summary>
    public static Tensor Times(this Tensor a, double c) => a.mul(Scalars.Float(c));

    /// <summary>a / c for a constant c.</summary>
    public static Tensor DividedBy(this Tensor a, double c) => a.div(Scalars.Float(c));

    /// <summary>a², element-wise (TorchSharp's square() is pow with a temporary scalar).</summary>
    public static Tensor Squared(this Tensor a) => a.mul(a);

    /// <summary>a &gt; c, element-wise, for a constant c.</summary>
    public static Tensor GreaterThan(this Tensor a, double c) => a.gt(Scalars.Float(c));
}
