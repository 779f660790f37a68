package dev.annonet.processor.phi;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.annonet.processor.phi.Expr.Type;
import dev.annonet.processor.phi.Method.Statement;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes derived {@link Method}s as Java for the generated model, with no more parentheses than
 * the tree needs: {@code a - (b - c)} keeps them, {@code a * b + c} has none. Calls of the user's
 * methods and constants go through the network class; calls of derivatives stay in the model.
 */
final class JavaWriter {
  private static final ClassName MATH = ClassName.get(Math.class);

  private final ClassName owner;

  JavaWriter(ClassName owner) {
    this.owner = owner;
  }

  /** The method, {@code public} for the top one (the model's {@code dphi}), else private. */
  MethodSpec method(Method m, boolean top, String javadoc) {
    MethodSpec.Builder b = MethodSpec.methodBuilder(m.name())
        .addModifiers(top ? Modifier.PUBLIC : Modifier.PRIVATE, Modifier.STATIC)
        .returns(type(m.returns()))
        .addJavadoc("$L", javadoc);
    for (Expr.Var p : m.parameters()) {
      b.addParameter(type(p.type()), p.name());
    }
    statements(b, m.body());
    return b.build();
  }

  private void statements(MethodSpec.Builder b, List<Statement> body) {
    for (Statement s : body) {
      if (s instanceof Method.Local local) {
        b.addStatement("$L $L = $L", local.typeName(), local.variable().name(),
            expr(local.init(), 0));
      } else if (s instanceof Method.If branch) {
        b.beginControlFlow("if ($L)", expr(branch.test(), 0));
        Method.If next = branch;
        statements(b, next.then());
        // An else holding just another if is written as "else if".
        while (next.otherwise().size() == 1 && next.otherwise().get(0) instanceof Method.If inner) {
          b.nextControlFlow("else if ($L)", expr(inner.test(), 0));
          statements(b, inner.then());
          next = inner;
        }
        if (!next.otherwise().isEmpty()) {
          b.nextControlFlow("else");
          statements(b, next.otherwise());
        }
        b.endControlFlow();
      } else {
        b.addStatement("return $L", expr(((Method.Return) s).value(), 0));
      }
    }
  }

  /** Java's precedence levels, loosest first; a primary expression is {@code 9}. */
  private static int level(Expr e) {
    if (e instanceof Expr.Conditional) {
      return 1;
    }
    if (e instanceof Expr.Binary b) {
      return switch (b.op()) {
        case "||" -> 2;
        case "&&" -> 3;
        case "==", "!=" -> 4;
        case "<", "<=", ">", ">=" -> 5;
        case "+", "-" -> 6;
        default -> 7;
      };
    }
    if (e instanceof Expr.Neg || e instanceof Expr.Not || e instanceof Expr.Cast) {
      return 8;
    }
    return 9;
  }

  /** {@code e} written out, in parentheses if its precedence is below {@code context}. */
  CodeBlock expr(Expr e, int context) {
    CodeBlock.Builder out = CodeBlock.builder();
    boolean parens = level(e) < context;
    if (parens) {
      out.add("(");
    }
    if (e instanceof Expr.Constant c) {
      if (c.owner()) {
        out.add("$T.$L", owner, c.text());
      } else {
        out.add("$L", c.text());
      }
    } else if (e instanceof Expr.Var v) {
      out.add("$L", v.name());
    } else if (e instanceof Expr.Neg n) {
      // "- -x" and "--x" would not say what is meant: a negated negative gets parentheses.
      boolean negative = n.operand() instanceof Expr.Neg
          || n.operand() instanceof Expr.Constant c && c.text().startsWith("-");
      out.add("-$L", expr(n.operand(), negative ? 10 : 8));
    } else if (e instanceof Expr.Not n) {
      out.add("!$L", expr(n.operand(), 8));
    } else if (e instanceof Expr.Cast c) {
      out.add("($L) $L", c.type().java, expr(c.operand(), 8));
    } else if (e instanceof Expr.Binary b) {
      int level = level(b);
      out.add("$L $L $L", expr(b.left(), level), b.op(), expr(b.right(), level + 1));
    } else if (e instanceof Expr.Conditional c) {
      // A conditional in the middle gets parentheses; one at the end chains as "a ? b : c ? d : e".
      out.add("$L ? $L : $L", expr(c.test(), 2), expr(c.then(), 2), expr(c.otherwise(), 1));
    } else if (e instanceof Expr.MathCall m) {
      out.add("$T.$L($L)", MATH, m.function(), arguments(m.args()));
    } else {
      Expr.Call call = (Expr.Call) e;
      if (call.method().derived()) {
        out.add("$L($L)", call.method().name(), arguments(call.args()));
      } else {
        out.add("$T.$L($L)", owner, call.method().name(), arguments(call.args()));
      }
    }
    if (parens) {
      out.add(")");
    }
    return out.build();
  }

  private CodeBlock arguments(List<Expr> args) {
    CodeBlock.Builder out = CodeBlock.builder();
    for (int i = 0; i < args.size(); i++) {
      out.add(i == 0 ? "$L" : ", $L", expr(args.get(i), 0));
    }
    return out.build();
  }

  private static TypeName type(Type t) {
    return switch (t) {
      case INT -> TypeName.INT;
      case LONG -> TypeName.LONG;
      case FLOAT -> TypeName.FLOAT;
      case DOUBLE -> TypeName.DOUBLE;
      case BOOLEAN -> TypeName.BOOLEAN;
    };
  }
}
