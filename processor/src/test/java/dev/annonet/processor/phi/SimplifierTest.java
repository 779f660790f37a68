package dev.annonet.processor.phi;

import static com.google.common.truth.Truth.assertThat;
import static dev.annonet.processor.phi.Simplifier.add;
import static dev.annonet.processor.phi.Simplifier.div;
import static dev.annonet.processor.phi.Simplifier.literal;
import static dev.annonet.processor.phi.Simplifier.mul;
import static dev.annonet.processor.phi.Simplifier.neg;
import static dev.annonet.processor.phi.Simplifier.sub;

import com.palantir.javapoet.ClassName;
import dev.annonet.processor.phi.Expr.Type;
import dev.annonet.processor.phi.Expr.Var;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each rule of the {@link Simplifier}, and the cases it must leave as they are. */
class SimplifierTest {
  private static final Var R = new Var("r", Type.FLOAT);
  private static final Var S = new Var("s", Type.FLOAT);
  private static final Var X = new Var("x", Type.DOUBLE);
  private static final Expr EXP = new Expr.MathCall("exp", List.of(R), Type.DOUBLE);

  private static final JavaWriter WRITER = new JavaWriter(ClassName.get("test", "Net"));

  private static String java(Expr e) {
    return WRITER.expr(e, 0).toString();
  }

  private static Expr f(float v) {
    return literal(v, Type.FLOAT);
  }

  private static Expr d(double v) {
    return literal(v, Type.DOUBLE);
  }

  private static Expr i(int v) {
    return literal(v, Type.INT);
  }

  @Test
  void trivialTermsGo() {
    assertThat(add(R, i(0))).isEqualTo(R);
    assertThat(sub(R, d(0))).isEqualTo(R);
    assertThat(mul(R, i(1))).isEqualTo(R);
    assertThat(mul(f(1), R)).isEqualTo(R);
    assertThat(java(mul(R, i(-1)))).isEqualTo("-r");
    assertThat(java(mul(d(-1), R))).isEqualTo("-r");
    assertThat(neg(neg(R))).isEqualTo(R);
    assertThat(div(R, i(1))).isEqualTo(R);
  }

  /** The folded literal has the type Java computes the operation in. */
  @Test
  void literalsFoldInTheirType() {
    Expr half = mul(f(0.5f), i(2));
    assertThat(java(half)).isEqualTo("1.0f");
    assertThat(half.type()).isEqualTo(Type.FLOAT);
    assertThat(java(mul(i(2), i(3)))).isEqualTo("6");
    assertThat(java(add(d(0.5), f(0.25f)))).isEqualTo("0.75");
    assertThat(java(div(d(1), i(4)))).isEqualTo("0.25");
    assertThat(java(div(i(4), i(2)))).isEqualTo("2");
    assertThat(java(Simplifier.cast(Type.FLOAT, Simplifier.ZERO))).isEqualTo("0.0f");
  }

  /** Folding them would round, and write a literal longer than the expression. */
  @Test
  void inexactLiteralsStayAsWritten() {
    assertThat(java(div(d(1), i(3)))).isEqualTo("1.0 / 3");
    assertThat(java(add(f(0.1f), f(0.2f)))).isEqualTo("0.1f + 0.2f");
    // Java converts 16777217 to float (16777216f) before adding: the exact 16777218 is not it.
    assertThat(java(add(i(16777217), f(1)))).isEqualTo("16777217 + 1.0f");
  }

  /** {@code 1 / 2} is 0 in Java: it is not 0.5, and it stays as written. */
  @Test
  void integerDivisionWithARemainderIsNotFolded() {
    assertThat(java(div(i(1), i(2)))).isEqualTo("1 / 2");
    assertThat(java(div(i(-2), i(4)))).isEqualTo("-2 / 4");
    assertThat(java(mul(div(i(1), i(2)), R))).isEqualTo("1 / 2 * r");
    Var n = new Var("n", Type.INT);
    // In int, 4 * n / 2 is not 2 * n where 4 * n wraps around.
    assertThat(java(div(mul(i(4), n), i(2)))).isEqualTo("4 * n / 2");
  }

  @Test
  void likeTermsCollect() {
    Expr twice = add(R, R);
    assertThat(java(twice)).isEqualTo("2 * r");
    assertThat(twice.type()).isEqualTo(Type.FLOAT);
    assertThat(add(mul(f(0.5f), R), mul(f(0.5f), R))).isEqualTo(R);
    assertThat(java(sub(mul(i(3), X), X))).isEqualTo("2 * x");
    assertThat(java(sub(neg(R), R))).isEqualTo("-2 * r");
    assertThat(java(add(mul(d(0.25), EXP), mul(d(0.5), EXP))))
        .isEqualTo("0.75 * java.lang.Math.exp(r)");
    assertThat(sub(R, R)).isEqualTo(Simplifier.ZERO);
  }

  /** Only structurally equal terms collect: no commuting, no factoring. */
  @Test
  void differentTermsDoNotCollect() {
    assertThat(java(add(R, S))).isEqualTo("r + s");
    assertThat(java(add(new Expr.Binary("*", R, S), new Expr.Binary("*", S, R))))
        .isEqualTo("r * s + s * r");
    assertThat(java(add(mul(f(0.1f), R), mul(f(0.2f), R)))).isEqualTo("0.1f * r + 0.2f * r");
    assertThat(java(add(R, new Var("r", Type.DOUBLE)))).isEqualTo("r + r"); // another type
  }

  @Test
  void literalsGatherIntoOneLeadingFactor() {
    assertThat(java(mul(i(3), mul(f(0.5f), R)))).isEqualTo("1.5f * r");
    assertThat(java(mul(mul(i(2), R), d(0.25)))).isEqualTo("0.5 * r");
    assertThat(java(mul(R, i(2)))).isEqualTo("2 * r");
    assertThat(java(mul(EXP, d(0.25)))).isEqualTo("0.25 * java.lang.Math.exp(r)");
    assertThat(java(mul(new Expr.Binary("*", R, S), i(2)))).isEqualTo("r * s * 2");
    assertThat(java(mul(i(2), neg(R)))).isEqualTo("-2 * r");
    assertThat(java(neg(mul(i(2), R)))).isEqualTo("-2 * r");
    assertThat(java(neg(new Expr.Binary("*", mul(i(2), R), S)))).isEqualTo("-2 * r * s");
    assertThat(java(neg(new Expr.Binary("*", R, mul(i(2), S))))).isEqualTo("-(r * (2 * s))");
    assertThat(java(add(X, mul(i(-2), R)))).isEqualTo("x - 2 * r");
    assertThat(java(sub(X, mul(i(-2), R)))).isEqualTo("x + 2 * r");
    assertThat(java(add(X, d(-2)))).isEqualTo("x - 2.0");
    assertThat(java(sub(X, neg(R)))).isEqualTo("x + r");
    assertThat(java(div(mul(i(-2), R), i(4)))).isEqualTo("-0.5f * r");
    assertThat(java(div(mul(d(0.25), X), i(3)))).isEqualTo("0.25 * x / 3");
    // 3 * 0.1f is not exact in float: the factors stay apart.
    assertThat(java(mul(i(3), mul(f(0.1f), R)))).isEqualTo("3 * (0.1f * r)");
  }

  /** d(u u) = 2 u du, written so, rather than du u + u du. */
  @Test
  void aSquareIsDerivedAsTwiceItsBase() {
    Var u = new Var("u", Type.FLOAT);
    Var du = new Var("d_u", Type.DOUBLE);
    Expr square = new Expr.Binary("*", u, u);
    assertThat(java(new Differentiator().d(square, Map.of("u", du)))).isEqualTo("2 * u * d_u");
    assertThat(java(new Differentiator().d(square, Map.of("u", Differentiator.ONE))))
        .isEqualTo("2 * u");
  }

  /**
   * Why Huber's derivative may read {@code r}: halving a float and adding the halves back is
   * exact unless the half is subnormal ({@code |r| < 2^-125}), where it rounds and {@code r} is
   * the better derivative.
   */
  @Test
  void halvesOfAFloatAddBackExactly() {
    SplittableRandom random = new SplittableRandom(15);
    for (int k = 0; k < 100_000; k++) {
      float r = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(r) && Math.abs(r) >= 2 * Float.MIN_NORMAL) {
        assertThat(0.5f * r + 0.5f * r).isEqualTo(r);
      }
    }
  }
}
