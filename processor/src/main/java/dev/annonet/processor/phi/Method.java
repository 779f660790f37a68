package dev.annonet.processor.phi;

import java.util.List;

/**
 * A method in the subset: a static method of the network class read from its source (the phi
 * method itself or a helper it calls), or a derivative made by the {@link Differentiator}
 * ({@code derived}, which lives in the generated model). {@code body} is null for a helper that
 * returns an integer or a boolean, which has no derivative and whose body is therefore never
 * read.
 */
record Method(
    String name, Expr.Type returns, List<Expr.Var> parameters, List<Statement> body,
    boolean derived) {

  /** A statement of the subset. */
  sealed interface Statement {}

  /** {@code type name = init;}, the variable never assigned again. */
  record Local(String typeName, Expr.Var variable, Expr init) implements Statement {}

  /** {@code if (test) { then } else { otherwise }}; {@code otherwise} may be empty. */
  record If(Expr test, List<Statement> then, List<Statement> otherwise) implements Statement {}

  /** {@code return value;}. */
  record Return(Expr value) implements Statement {}
}
