package dev.annonet.processor.phi;

import static dev.annonet.processor.phi.Simplifier.add;
import static dev.annonet.processor.phi.Simplifier.div;
import static dev.annonet.processor.phi.Simplifier.isZero;
import static dev.annonet.processor.phi.Simplifier.literal;
import static dev.annonet.processor.phi.Simplifier.mul;
import static dev.annonet.processor.phi.Simplifier.neg;
import static dev.annonet.processor.phi.Simplifier.sub;

import dev.annonet.processor.phi.Expr.Binary;
import dev.annonet.processor.phi.Expr.Constant;
import dev.annonet.processor.phi.Expr.MathCall;
import dev.annonet.processor.phi.Expr.Type;
import dev.annonet.processor.phi.Expr.Var;
import dev.annonet.processor.phi.Method.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Forward-mode symbolic differentiation of {@link Method}s: each statement is kept and followed
 * by its derivative, each local {@code a} getting {@code d_a}, each branch its own derivative.
 * It builds with the {@link Simplifier}'s constructors, which drop trivial terms, fold literals
 * and collect like terms as they build, so the output reads like a derivative written by hand.
 *
 * <p>Where a function has a kink, the derivative is the one PyTorch's autograd (1.13) takes:
 * {@code |u|' = signum(u)}, 0 at 0; {@code max(u, v)} and {@code min(u, v)} pass the derivative of
 * the larger (smaller) argument and half of each on a tie, as {@code torch.maximum} and {@code
 * torch.max(a, b)} do (checked: {@code torch.max(a, b).sum().backward()} gives 0.5 to each at
 * {@code a == b}); {@code sqrt} at 0 is infinite; {@code pow(u, c)} is {@code c pow(u, c - 1)},
 * 0 for {@code c == 0}; a branch's boundary takes the branch the code takes.
 */
final class Differentiator {
  static final Constant ZERO = Simplifier.ZERO;
  static final Constant ONE = Constant.number(1);
  static final Constant TWO = Constant.number(2);

  /** The derivative of each method derived so far, in the order they are written. */
  private final Map<Method, Method> derived = new LinkedHashMap<>();
  private final Set<String> names = new HashSet<>();

  /** Each method differentiated and its derivative, the top method first. */
  Map<Method, Method> derivatives() {
    return new LinkedHashMap<>(derived);
  }

  /**
   * {@code float dphi(float r)}, the derivative of {@code phi} in its one parameter, and the
   * derivatives of the helpers it calls.
   */
  Method deriveTop(Method phi, String name) {
    names.add(name);
    Map<String, Expr> tangents = new HashMap<>();
    tangents.put(phi.parameters().get(0).name(), ONE);
    // Placed before its body is derived so that it comes first, the helpers it calls after it.
    Method top = new Method(name, Type.FLOAT, phi.parameters(), null, true);
    derived.put(phi, top);
    top = new Method(name, Type.FLOAT, phi.parameters(),
        body(phi.body(), tangents, true, declared(phi)), true);
    derived.put(phi, top);
    return top;
  }

  /**
   * {@code double dg(x, d_x, y, d_y, ...)}: the directional derivative of helper {@code g},
   * given each parameter and its derivative.
   */
  private Method deriveHelper(Method g) {
    Method known = derived.get(g);
    if (known != null) {
      return known;
    }
    String name = "d" + Character.toUpperCase(g.name().charAt(0)) + g.name().substring(1);
    while (!names.add(name)) {
      name = name + "_";
    }
    List<Var> parameters = new ArrayList<>();
    Map<String, Expr> tangents = new HashMap<>();
    Set<String> taken = declared(g);
    for (Var p : g.parameters()) {
      Var tangent = tangent(p.name(), taken);
      parameters.add(p);
      parameters.add(tangent);
      tangents.put(p.name(), tangent);
    }
    // Placed before its body is derived so that the helpers it calls come after it.
    derived.put(g, new Method(name, Type.DOUBLE, parameters, null, true));
    Method d =
        new Method(name, Type.DOUBLE, parameters, body(g.body(), tangents, false, taken), true);
    derived.put(g, d);
    return d;
  }

  /**
   * The derivative of {@code statements}; {@code taken} holds the names in use in the method, so
   * that a tangent never takes the name of one of the user's variables.
   */
  private List<Statement> body(
      List<Statement> statements, Map<String, Expr> outer, boolean top, Set<String> taken) {
    Map<String, Expr> tangents = new HashMap<>(outer);
    List<Statement> out = new ArrayList<>();
    for (Statement s : statements) {
      if (s instanceof Method.Local local) {
        out.add(local);
        Var v = local.variable();
        Expr dv = d(local.init(), tangents);
        if (dv instanceof Constant) {
          tangents.put(v.name(), dv);
        } else {
          Var tangent = tangent(v.name(), taken);
          out.add(new Method.Local("double", tangent, dv));
          tangents.put(v.name(), tangent);
        }
      } else if (s instanceof Method.If branch) {
        out.add(new Method.If(branch.test(), body(branch.then(), tangents, top, taken),
            body(branch.otherwise(), tangents, top, taken)));
      } else {
        Expr value = d(((Method.Return) s).value(), tangents);
        out.add(new Method.Return(
            top && value.type() != Type.FLOAT ? Simplifier.cast(Type.FLOAT, value) : value));
      }
    }
    return out;
  }

  /** {@code d_name}, or with underscores added while the method already uses that name. */
  private static Var tangent(String name, Set<String> taken) {
    String tangent = "d_" + name;
    while (!taken.add(tangent)) {
      tangent = tangent + "_";
    }
    return new Var(tangent, Type.DOUBLE);
  }

  /** The names of {@code m}'s parameters and of all its locals. */
  private static Set<String> declared(Method m) {
    Set<String> names = new HashSet<>();
    m.parameters().forEach(p -> names.add(p.name()));
    addLocals(m.body(), names);
    return names;
  }

  private static void addLocals(List<Statement> body, Set<String> names) {
    for (Statement s : body) {
      if (s instanceof Method.Local local) {
        names.add(local.variable().name());
      } else if (s instanceof Method.If branch) {
        addLocals(branch.then(), names);
        addLocals(branch.otherwise(), names);
      }
    }
  }

  /** The derivative of {@code e}, given the derivatives of the variables in scope. */
  Expr d(Expr e, Map<String, Expr> tangents) {
    if (!e.type().isFloating()) {
      return ZERO; // integers and booleans are constant where they are defined
    }
    if (e instanceof Var v) {
      return tangents.get(v.name());
    } else if (e instanceof Expr.Neg n) {
      return neg(d(n.operand(), tangents));
    } else if (e instanceof Expr.Cast c) {
      return d(c.operand(), tangents);
    } else if (e instanceof Expr.Conditional c) {
      Expr a = d(c.then(), tangents);
      Expr b = d(c.otherwise(), tangents);
      return a.equals(b) ? a : new Expr.Conditional(c.test(), a, b);
    } else if (e instanceof Binary b) {
      return binary(b, d(b.left(), tangents), d(b.right(), tangents));
    } else if (e instanceof MathCall m) {
      return math(m, tangents);
    } else if (e instanceof Expr.Call c) {
      return call(c, tangents);
    }
    return ZERO; // a constant
  }

  private static Expr binary(Binary b, Expr du, Expr dv) {
    Expr u = b.left();
    Expr v = b.right();
    return switch (b.op()) {
      case "+" -> add(du, dv);
      case "-" -> sub(du, dv);
      // d(u u) = 2 u du, as a person writes it, rather than du u + u du
      case "*" -> u.equals(v) ? mul(mul(literal(2, Type.INT), u), du) : add(mul(du, v), mul(u, dv));
      default -> isZero(dv) ? div(du, v) // "/": the quotient rule
          : div(sub(mul(du, v), mul(u, dv)), mul(v, v));
    };
  }

  private Expr math(MathCall m, Map<String, Expr> tangents) {
    Expr u = m.args().get(0);
    Expr du = d(u, tangents);
    Expr v = m.args().size() > 1 ? m.args().get(1) : null;
    Expr dv = v == null ? ZERO : d(v, tangents);
    return switch (m.function()) {
      case "abs" -> mul(fn("signum", u), du);
      case "exp" -> mul(m, du);
      case "log" -> div(du, u);
      case "log1p" -> div(du, add(ONE, u));
      case "sqrt" -> div(du, mul(TWO, m));
      case "tanh" -> mul(sub(ONE, mul(m, m)), du);
      case "cosh" -> mul(fn("sinh", u), du);
      case "sinh" -> mul(fn("cosh", u), du);
      case "signum" -> ZERO;
      case "pow" -> pow(m, u, du, v, dv);
      case "max" -> ties(new Binary(">", u, v), new Binary("<", u, v), du, dv);
      case "min" -> ties(new Binary("<", u, v), new Binary(">", u, v), du, dv);
      case "hypot" -> div(add(mul(u, du), mul(v, dv)), m);
      default -> throw new IllegalStateException("no rule for Math." + m.function());
    };
  }

  /** d pow(u, v) = v pow(u, v - 1) du + pow(u, v) log(u) dv, as PyTorch's pow backward. */
  private static Expr pow(MathCall m, Expr u, Expr du, Expr v, Expr dv) {
    Expr exponent;
    if (v instanceof Constant c && c.value() != null && !c.owner()) {
      if (c.value() == 0) {
        return ZERO; // PyTorch: the gradient of pow(u, 0) is 0, even at u = 0
      }
      exponent = Constant.number(c.value() - 1);
    } else {
      exponent = new Binary("-", v, ONE);
    }
    Expr base = isZero(du) ? ZERO : mul(mul(v, fn("pow", u, exponent)), du);
    return add(base, mul(mul(m, fn("log", u)), dv));
  }

  /** The derivative of the argument that wins, half of each on a tie. */
  private static Expr ties(Expr first, Expr second, Expr du, Expr dv) {
    if (du.equals(dv)) {
      return du;
    }
    return new Expr.Conditional(first, du,
        new Expr.Conditional(second, dv, div(add(du, dv), TWO)));
  }

  /** The chain rule at a helper's call: its derivative given each argument and derivative. */
  private Expr call(Expr.Call c, Map<String, Expr> tangents) {
    List<Expr> args = new ArrayList<>();
    boolean constant = true;
    for (Expr a : c.args()) {
      Expr da = d(a, tangents);
      constant &= isZero(da);
      args.add(a);
      args.add(da);
    }
    return constant ? ZERO : new Expr.Call(deriveHelper(c.method()), args);
  }

  private static MathCall fn(String name, Expr... args) {
    Type type = name.equals("signum") && args[0].type() != Type.DOUBLE ? Type.FLOAT : Type.DOUBLE;
    return new MathCall(name, List.of(args), type);
  }
}
