/**
 * The derivative of a {@code @ResidualLoss}'s phi, when the user wrote no {@code @PhiDerivative}:
 * {@link dev.annonet.processor.phi.PhiDerivation} reads phi's source through {@code
 * com.sun.source.util.Trees} ({@code PhiReader}, into the small tree of {@code Expr} and {@code
 * Method}), differentiates it symbolically in forward mode ({@code Differentiator}, building with
 * the {@code Simplifier}'s rules so that it reads as written by hand) and writes the result as
 * Java into the generated model ({@code JavaWriter}): {@code public static float
 * dphi(float r)}, and one {@code private static double d<Helper>} per helper phi calls, with the
 * chain rule at the call. Nothing is interpreted at run time.
 *
 * <p>The subset, as the README documents it: {@code + - * /} and unary minus; locals declared
 * once with a value ({@code float}, {@code double}, {@code int}, {@code long}, {@code boolean},
 * {@code var}), each followed by its derivative {@code d_name}; {@code ?:} and {@code if/else}
 * with returns, conditions made of comparisons, {@code && || !}; {@code Math.abs exp log log1p
 * sqrt pow tanh cosh sinh signum min max hypot}, {@code Math.PI} and {@code Math.E}; literals,
 * primitive casts, parentheses; static final numeric constants of the network class; calls of
 * the class's other static methods in the same subset (recursion refused). Anything else is a
 * {@code [Annonet/PhiNotDerivable]} error on that construct.
 *
 * <p>Adding a function: its arity in {@code PhiReader.MATH}, its result type in {@code
 * PhiReader.mathType}, its rule in {@code Differentiator.math} (with the value PyTorch's autograd
 * takes at a kink), a case in {@code PhiDerivationTest}, and a line in the README.
 */
package dev.annonet.processor.phi;
