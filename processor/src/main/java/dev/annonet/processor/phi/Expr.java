package dev.annonet.processor.phi;

import java.util.List;
import java.util.Locale;

/**
 * An expression of the differentiable subset, as read from a {@code @Phi} method or built by the
 * {@link Differentiator}: every node knows its Java type, so that a derivative never ends up in
 * integer arithmetic.
 */
sealed interface Expr {
  /** The Java type of the expression, after binary numeric promotion. */
  Type type();

  /** Java's primitive types as far as the subset needs them. */
  enum Type {
    INT("int"), LONG("long"), FLOAT("float"), DOUBLE("double"), BOOLEAN("boolean");

    final String java;

    Type(String java) {
      this.java = java;
    }

    boolean isFloating() {
      return this == FLOAT || this == DOUBLE;
    }

    /** Binary numeric promotion (JLS 5.6.2). */
    static Type promote(Type a, Type b) {
      return a.ordinal() >= b.ordinal() ? a : b;
    }
  }

  /**
   * A constant: a literal as written ({@code 0.5f}), a named constant ({@code Owner.TAU}, whose
   * {@code owner} part is printed as a type), or a number made by the differentiator. {@code
   * value} is its value when it is a plain number, else null.
   */
  record Constant(String text, Double value, Type type, boolean owner) implements Expr {
    static Constant number(double value) {
      String text = value == Math.rint(value) && Math.abs(value) < 1e15
          ? String.format(Locale.ROOT, "%.1f", value) : Double.toString(value);
      return new Constant(text, value, Type.DOUBLE, false);
    }

    boolean is(double v) {
      return value != null && value == v;
    }
  }

  /** A parameter or local variable. */
  record Var(String name, Type type) implements Expr {}

  /** {@code -operand}. */
  record Neg(Expr operand) implements Expr {
    public Type type() {
      return operand.type() == Type.FLOAT || operand.type() == Type.DOUBLE
          || operand.type() == Type.LONG ? operand.type() : Type.INT;
    }
  }

  /** Arithmetic {@code + - * /}, comparisons {@code < <= > >= == !=} and {@code && ||}. */
  record Binary(String op, Expr left, Expr right) implements Expr {
    public Type type() {
      return switch (op) {
        case "+", "-", "*", "/" -> Type.promote(left.type(), right.type());
        default -> Type.BOOLEAN;
      };
    }

    boolean arithmetic() {
      return op.equals("+") || op.equals("-") || op.equals("*") || op.equals("/");
    }
  }

  /** {@code !operand}. */
  record Not(Expr operand) implements Expr {
    public Type type() {
      return Type.BOOLEAN;
    }
  }

  /** {@code (type) operand}. */
  record Cast(Type type, Expr operand) implements Expr {}

  /** {@code test ? then : otherwise}. */
  record Conditional(Expr test, Expr then, Expr otherwise) implements Expr {
    public Type type() {
      return Type.promote(then.type(), otherwise.type());
    }
  }

  /** A call of {@code java.lang.Math}'s {@code function}. */
  record MathCall(String function, List<Expr> args, Type type) implements Expr {}

  /** A call of a static method of the network class, itself read as a {@link Method}. */
  record Call(Method method, List<Expr> args) implements Expr {
    public Type type() {
      return method.returns();
    }
  }
}
