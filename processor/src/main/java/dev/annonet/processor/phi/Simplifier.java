package dev.annonet.processor.phi;

import dev.annonet.processor.phi.Expr.Binary;
import dev.annonet.processor.phi.Expr.Constant;
import dev.annonet.processor.phi.Expr.Neg;
import dev.annonet.processor.phi.Expr.Type;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The constructors of the {@link Differentiator}'s expressions, which simplify as they build so
 * that a derivative reads as a person would write it. The rules, and no more (this is not a
 * computer algebra system):
 *
 * <ul>
 *   <li>trivial terms go: {@code e + 0}, {@code e * 1}, {@code e * 0}, {@code 0 / e}, {@code e /
 *       1}; {@code e * -1} and {@code -1 * e} are {@code -e}, {@code --e} is {@code e};
 *   <li>numeric literals fold ({@code 0.5f * 2} is {@code 1.0f}), in the type Java computes them
 *       in, and only when the result is exact (see {@link #fold(String, Expr, Expr)});
 *   <li>a product of a literal and a term is written {@code c * e}, literal first, and a literal
 *       joins the literal of the term it multiplies: {@code c * (d * e)} and {@code (d * e) * c}
 *       are {@code (c d) * e}, and in floating point {@code (c * e) / d} is {@code (c / d) * e};
 *       a sign goes into the literal ({@code -(2 * x)} is {@code -2 * x}, {@code a + -2 * x} is
 *       {@code a - 2 * x});
 *   <li>like terms collect: {@code e + e} is {@code 2 * e}, {@code c * e - d * e} is {@code (c -
 *       d) * e}, for structurally equal {@code e} (records compare by value).
 * </ul>
 *
 * <p>Folding never changes the value of a literal, but collecting and regrouping change the order
 * of roundings: {@code 0.5f * r + 0.5f * r} and {@code r} are equal in float (halving and adding
 * back is exact unless the half is subnormal, {@code |r| < 2^-125}, where {@code r} is the exact
 * derivative and the sum is not), {@code 3 * (0.5f * x)} and {@code 1.5f * x} may differ in the
 * last bit.
 */
final class Simplifier {
  static final Constant ZERO = Constant.number(0);

  private Simplifier() {}

  static Expr add(Expr a, Expr b) {
    if (isZero(a)) {
      return b;
    }
    return isZero(b) ? a : sum("+", a, b);
  }

  static Expr sub(Expr a, Expr b) {
    if (isZero(b)) {
      return a;
    }
    return isZero(a) ? neg(b) : sum("-", a, b);
  }

  /** {@code a + b} or {@code a - b}, neither of them zero. */
  private static Expr sum(String op, Expr a, Expr b) {
    Expr simpler = fold(op, a, b);
    if (simpler == null) {
      simpler = collect(op, a, b);
    }
    if (simpler != null) {
      return simpler;
    }
    Expr minusB = positiveNegation(b); // a + -x is a - x, a - -2 * x is a + 2 * x
    if (minusB != null) {
      return new Binary(op.equals("+") ? "-" : "+", a, minusB);
    }
    return new Binary(op, a, b);
  }

  /**
   * {@code -e} if {@code e} is {@code -x}, a negative literal or {@code c * x} with {@code c < 0};
   * else null.
   */
  private static Expr positiveNegation(Expr e) {
    if (e instanceof Neg n) {
      return n.operand();
    }
    if (literal(e) && ((Constant) e).value() < 0) {
      return negate((Constant) e);
    }
    Constant c = coefficient(e);
    return c != null && c.value() < 0 ? mul(negate(c), ((Binary) e).right()) : null;
  }

  static Expr mul(Expr a, Expr b) {
    if (isZero(a) || isZero(b)) {
      return ZERO;
    }
    if (isOne(a)) {
      return asDouble(b);
    }
    if (isOne(b)) {
      return asDouble(a);
    }
    Expr folded = fold("*", a, b);
    if (folded != null) {
      return folded;
    }
    if (literal(b) && !literal(a)) {
      if (product(a) && coefficient(a) == null) {
        return new Binary("*", a, b); // x * y * c reads better than c * (x * y)
      }
      return mul(b, a); // the literal first
    }
    if (literal(a)) {
      Constant c = (Constant) a;
      if (c.is(-1)) {
        return neg(b);
      }
      if (b instanceof Neg n) {
        return mul(negate(c), n.operand());
      }
      Constant d = coefficient(b);
      Constant cd = d == null ? null : fold("*", c, d);
      if (cd != null) {
        return mul(cd, ((Binary) b).right());
      }
    }
    return new Binary("*", a, b);
  }

  static Expr div(Expr a, Expr b) {
    if (isZero(a)) {
      return ZERO;
    }
    if (isOne(b)) {
      return a;
    }
    Expr folded = fold("/", a, b);
    if (folded != null) {
      return folded;
    }
    // (c * e) / d is (c / d) * e, the quotient taken in the type the division is done in: in
    // float, -2 * r / 4 is -0.5f * r. Not in integers, where c * e may wrap.
    Constant c = coefficient(a);
    Type type = Type.promote(a.type(), b.type());
    Constant quotient = c == null || !type.isFloating() ? null : fold("/", c, b, type);
    return quotient != null ? mul(quotient, ((Binary) a).right()) : new Binary("/", a, b);
  }

  static Expr neg(Expr a) {
    if (isZero(a)) {
      return ZERO;
    }
    if (a instanceof Neg n) {
      return n.operand();
    }
    Expr negated = negateLeadingLiteral(a);
    return negated != null ? negated : new Neg(a);
  }

  /**
   * {@code -c * x * y} for {@code c * x * y}: the sign goes into the leading literal of a
   * product, which is exact, rather than before it; null if {@code e} has none.
   */
  private static Expr negateLeadingLiteral(Expr e) {
    if (literal(e)) {
      return negate((Constant) e);
    }
    if (!product(e)) {
      return null;
    }
    Expr left = negateLeadingLiteral(((Binary) e).left());
    return left == null ? null : mul(left, ((Binary) e).right());
  }

  /** {@code e} as a value of {@code type}: a literal converted when exact, else a cast. */
  static Expr cast(Type type, Expr e) {
    if (literal(e)) {
      Constant c = (Constant) e;
      if (representable(c.value(), type)) {
        return literal(c.value(), type);
      }
    }
    return new Expr.Cast(type, e);
  }

  static boolean isZero(Expr e) {
    return literal(e) && ((Constant) e).is(0);
  }

  private static boolean isOne(Expr e) {
    return literal(e) && ((Constant) e).is(1);
  }

  /** A number written in the code: a literal of the source or of the differentiator. */
  static boolean literal(Expr e) {
    return e instanceof Constant c && c.value() != null && !c.owner()
        && c.type() != Type.BOOLEAN;
  }

  /**
   * {@code e} as a literal coefficient times the rest: {@code c * x} is {@code (c, x)}, {@code
   * -x} is {@code (-1, x)}, {@code x} is {@code (1, x)}; the implicit 1 and -1 are {@code int}
   * literals, so that they take the type of {@code x} in {@code 2 * x}.
   */
  private record Term(Constant coefficient, Expr rest) {
    static Term of(Expr e) {
      Constant c = Simplifier.coefficient(e);
      if (c != null) {
        return new Term(c, ((Binary) e).right());
      }
      if (e instanceof Neg n) {
        Term inner = of(n.operand());
        return new Term(negate(inner.coefficient()), inner.rest());
      }
      return new Term(literal(1, Type.INT), e);
    }
  }

  private static boolean product(Expr e) {
    return e instanceof Binary b && b.op().equals("*");
  }

  /** {@code c} if {@code e} is a product {@code c * x} of a literal and a term, else null. */
  private static Constant coefficient(Expr e) {
    return product(e) && literal(((Binary) e).left()) ? (Constant) ((Binary) e).left() : null;
  }

  /** {@code c * x + d * x} as {@code (c + d) * x} (or {@code -}), if {@code c + d} is exact. */
  private static Expr collect(String op, Expr a, Expr b) {
    if (literal(a) || literal(b)) {
      return null;
    }
    Term ta = Term.of(a);
    Term tb = Term.of(b);
    if (!ta.rest().equals(tb.rest())) {
      return null;
    }
    Constant sum = fold(op, ta.coefficient(), tb.coefficient());
    return sum == null ? null : mul(sum, ta.rest());
  }

  /**
   * {@code a op b} as one literal when both are literals and the result is exact in the type Java
   * computes it in ({@code int} and {@code long} without overflow and with no remainder in a
   * division, {@code float} and {@code double} without rounding), else null. Exact, the literal
   * equals what Java would compute, whatever the type: {@code 0.5f * 2} is {@code 1.0f}; {@code
   * 1.0 / 3} stays as written, which reads better than its 17 digits and computes the same; and
   * {@code 1 / 2} stays, being integer division.
   */
  static Constant fold(String op, Expr a, Expr b) {
    return fold(op, a, b, Type.promote(a.type(), b.type()));
  }

  /** {@code a op b} computed in {@code type}, as {@link #fold(String, Expr, Expr)}. */
  private static Constant fold(String op, Expr a, Expr b, Type type) {
    if (!literal(a) || !literal(b)) {
      return null;
    }
    double x = ((Constant) a).value();
    double y = ((Constant) b).value();
    // Java converts each operand to the type first: an int beyond 2^24 is not exact in float.
    if (!representable(x, type) || !representable(y, type)) {
      return null;
    }
    BigDecimal u = new BigDecimal(x);
    BigDecimal v = new BigDecimal(y);
    BigDecimal exact;
    try {
      exact = switch (op) {
        case "+" -> u.add(v);
        case "-" -> u.subtract(v);
        case "*" -> u.multiply(v);
        default -> v.signum() == 0 ? null : u.divide(v); // throws when it does not terminate
      };
    } catch (ArithmeticException e) {
      return null;
    }
    if (exact == null || !representable(exact, type)) {
      return null;
    }
    return literal(exact.doubleValue(), type);
  }

  private static boolean representable(double v, Type type) {
    return Double.isFinite(v) && representable(new BigDecimal(v), type);
  }

  private static boolean representable(BigDecimal v, Type type) {
    return switch (type) {
      case INT -> v.stripTrailingZeros().scale() <= 0
          && v.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0
          && v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0;
      case LONG -> v.stripTrailingZeros().scale() <= 0
          && v.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
          && v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
          && new BigDecimal(v.doubleValue()).compareTo(v) == 0; // Constant keeps a double
      case FLOAT -> Float.isFinite(v.floatValue())
          && new BigDecimal(v.floatValue()).compareTo(v) == 0;
      case DOUBLE -> Double.isFinite(v.doubleValue())
          && new BigDecimal(v.doubleValue()).compareTo(v) == 0;
      case BOOLEAN -> false;
    };
  }

  /** The literal {@code value} of {@code type}, written as Java writes it. */
  static Constant literal(double value, Type type) {
    String text = switch (type) {
      case INT -> Integer.toString((int) value);
      case LONG -> (long) value + "L";
      case FLOAT -> Float.toString((float) value) + "f";
      default -> value == Math.rint(value) && Math.abs(value) < 1e15
          ? String.format(Locale.ROOT, "%.1f", value) : Double.toString(value);
    };
    return new Constant(text, value, type, false);
  }

  private static Constant negate(Constant c) {
    return literal(-c.value(), c.type());
  }

  /**
   * {@code e} as a floating-point value: a derivative must never be computed in integer
   * arithmetic (the derivative of {@code r * 2 / 3} is {@code 2.0 / 3}, not {@code 2 / 3 = 0}).
   */
  private static Expr asDouble(Expr e) {
    if (e.type().isFloating()) {
      return e;
    }
    return literal(e)
        ? literal(((Constant) e).value(), Type.DOUBLE) : new Expr.Cast(Type.DOUBLE, e);
  }
}
