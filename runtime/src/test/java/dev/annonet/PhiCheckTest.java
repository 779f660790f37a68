package dev.annonet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** PhiCheck passes a true derivative, names the worst residual of a wrong one, skips kinks. */
class PhiCheckTest {
  static float logCosh(float r) {
    return (float) Math.log(Math.cosh(r));
  }

  static float huber(float r) {
    return Math.abs(r) <= 1 ? 0.5f * r * r : Math.abs(r) - 0.5f;
  }

  @Test
  void aTrueDerivativePasses() {
    PhiCheck.Result result = PhiCheck.check(PhiCheckTest::logCosh, r -> (float) Math.tanh(r));
    assertTrue(result.passed(), result.message());
    assertEquals(0, result.kinks(), result.message());
    assertTrue(result.relativeError() < 1e-4, result.message());
    assertEquals(1201, result.residuals());
  }

  @Test
  void aWrongDerivativeFailsNamingTheWorstResidual() {
    // Huber's derivative is clipped at |r| = 1; r itself is furthest off at the grid's ends.
    PhiCheck.Result result = PhiCheck.check(PhiCheckTest::huber, r -> r);
    assertFalse(result.passed());
    assertEquals(-6, result.worstResidual(), 1e-6, result.message());
    assertEquals(-6, result.analytic(), 1e-6);
    assertEquals(-1, result.numeric(), 1e-4);
    assertEquals(5, result.relativeError(), 1e-3);
    AssertionError e = assertThrows(AssertionError.class, result::orThrow);
    assertTrue(e.getMessage().startsWith("dphi is not the derivative of phi: dphi(-6.0) = -6.0,"
        + " central differences of phi give -1.0"), e.getMessage());
    assertTrue(e.getMessage().contains("relative error 5.00 (tolerance 0.001)"), e.getMessage());
  }

  @Test
  void kinksAreSkippedAndCounted() {
    // The pinball loss has one kink, at 0, where its central difference (0.2) is no derivative
    // (the code's branch gives 0.7): the points within a step of it are skipped.
    PhiCheck.Result result = PhiCheck.check(
        r -> r < 0 ? -0.3f * r : 0.7f * r, r -> r < 0 ? -0.3f : 0.7f);
    assertTrue(result.passed(), result.message());
    assertTrue(result.kinks() >= 1 && result.kinks() <= 3, result.message());
    // Elsewhere only phi's float rounding is left: an ulp of phi over the step.
    assertTrue(result.relativeError() < 1e-4, result.message());
  }

  @Test
  void aDerivativeThatIsNanWherePhiIsSmoothFails() {
    PhiCheck.Result result =
        PhiCheck.check(r -> r * r, r -> r > 2 ? Float.NaN : 2 * r, new double[] {1, 3});
    assertFalse(result.passed());
    assertEquals(3, result.worstResidual());
  }
}
