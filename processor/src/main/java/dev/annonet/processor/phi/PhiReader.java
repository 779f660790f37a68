package dev.annonet.processor.phi;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.annonet.processor.phi.Expr.Type;
import dev.annonet.processor.phi.Method.Statement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;

/**
 * Reads the source of a {@code @Phi} method, and of the helpers it calls, into {@link Method}s;
 * the first construct outside the subset stops the reading with {@link NotDerivable} on its tree.
 * Names are resolved here by hand: annotation processors see method bodies before javac
 * attributes them.
 */
final class PhiReader {
  /** Math's functions in the subset, with their number of arguments. */
  static final Map<String, Integer> MATH = Map.ofEntries(
      Map.entry("abs", 1), Map.entry("exp", 1), Map.entry("log", 1), Map.entry("log1p", 1),
      Map.entry("sqrt", 1), Map.entry("pow", 2), Map.entry("tanh", 1), Map.entry("cosh", 1),
      Map.entry("sinh", 1), Map.entry("signum", 1), Map.entry("min", 2), Map.entry("max", 2),
      Map.entry("hypot", 2));

  private static final Set<String> MATH_TYPE = Set.of("Math", "java.lang.Math");

  private final Trees trees;
  private final TypeElement owner;
  /** Methods read so far: a helper called twice is read once. */
  private final Map<ExecutableElement, Method> methods = new LinkedHashMap<>();
  /** The chain of calls being read, to refuse recursion. */
  private final List<ExecutableElement> reading = new ArrayList<>();
  private CompilationUnitTree unit;

  PhiReader(Trees trees, TypeElement owner) {
    this.trees = trees;
    this.owner = owner;
  }

  /** Reads {@code element} and, through its calls, its helpers. */
  Method read(ExecutableElement element) throws NotDerivable {
    Method known = methods.get(element);
    if (known != null) {
      return known;
    }
    CompilationUnitTree caller = unit;
    TreePath path = trees.getPath(element);
    unit = path.getCompilationUnit();
    MethodTree tree = (MethodTree) path.getLeaf();
    reading.add(element);
    List<Expr.Var> parameters = new ArrayList<>();
    Map<String, Expr.Var> scope = new HashMap<>();
    for (VariableTree p : tree.getParameters()) {
      Expr.Var v = new Expr.Var(p.getName().toString(), primitive(p.getType(), p));
      parameters.add(v);
      scope.put(v.name(), v);
    }
    Type returns = primitive(tree.getReturnType(), tree.getReturnType());
    String name = element.getSimpleName().toString();
    // A helper that returns an integer or a boolean has no derivative: its body is not needed.
    List<Statement> body =
        returns.isFloating() ? statements(tree.getBody().getStatements(), scope) : null;
    Method method = new Method(name, returns, parameters, body, false);
    methods.put(element, method);
    reading.remove(reading.size() - 1);
    unit = caller;
    return method;
  }

  private List<Statement> statements(
      List<? extends StatementTree> trees, Map<String, Expr.Var> outer) throws NotDerivable {
    Map<String, Expr.Var> scope = new HashMap<>(outer);
    List<Statement> list = new ArrayList<>();
    for (StatementTree s : trees) {
      list.add(statement(s, scope));
    }
    return list;
  }

  private Statement statement(StatementTree s, Map<String, Expr.Var> scope) throws NotDerivable {
    switch (s.getKind()) {
      case VARIABLE -> {
        VariableTree v = (VariableTree) s;
        if (v.getInitializer() == null) {
          throw reject(v, "a variable declared without a value ('" + v.getName() + "')");
        }
        Expr init = expr(v.getInitializer(), scope);
        // 'var' leaves the type tree empty: the variable has its initializer's type.
        Type type = v.getType() == null ? init.type() : primitive(v.getType(), v);
        Expr.Var variable = new Expr.Var(v.getName().toString(), type);
        scope.put(variable.name(), variable);
        return new Method.Local(v.getType() == null ? "var" : type.java, variable, init);
      }
      case IF -> {
        IfTree t = (IfTree) s;
        Expr test = expr(t.getCondition(), scope);
        List<Statement> otherwise = t.getElseStatement() == null ? List.of()
            : branch(t.getElseStatement(), scope);
        return new Method.If(test, branch(t.getThenStatement(), scope), otherwise);
      }
      case RETURN -> {
        return new Method.Return(expr(((ReturnTree) s).getExpression(), scope));
      }
      case EXPRESSION_STATEMENT -> {
        ExpressionTree e = ((ExpressionStatementTree) s).getExpression();
        String assigned = assignedName(e);
        throw reject(e, assigned != null ? assignment(assigned) : "an expression statement");
      }
      default -> throw reject(s, describe(s.getKind()));
    }
  }

  /** The statements of an if's branch: a block or a single statement. */
  private List<Statement> branch(StatementTree s, Map<String, Expr.Var> scope)
      throws NotDerivable {
    return s instanceof BlockTree block ? statements(block.getStatements(), scope)
        : statements(List.of(s), scope);
  }

  private Expr expr(ExpressionTree e, Map<String, Expr.Var> scope) throws NotDerivable {
    switch (e.getKind()) {
      case PARENTHESIZED -> {
        return expr(((ParenthesizedTree) e).getExpression(), scope);
      }
      case INT_LITERAL, LONG_LITERAL, FLOAT_LITERAL, DOUBLE_LITERAL, BOOLEAN_LITERAL -> {
        Object value = ((LiteralTree) e).getValue();
        Type type = switch (e.getKind()) {
          case INT_LITERAL -> Type.INT;
          case LONG_LITERAL -> Type.LONG;
          case FLOAT_LITERAL -> Type.FLOAT;
          case DOUBLE_LITERAL -> Type.DOUBLE;
          default -> Type.BOOLEAN;
        };
        Double number = value instanceof Number n ? n.doubleValue() : null;
        return new Expr.Constant(source(e), number, type, false);
      }
      case IDENTIFIER -> {
        String name = ((IdentifierTree) e).getName().toString();
        Expr.Var v = scope.get(name);
        return v != null ? v : field(e, name);
      }
      case MEMBER_SELECT -> {
        MemberSelectTree m = (MemberSelectTree) e;
        String name = m.getIdentifier().toString();
        String type = m.getExpression().toString();
        if (MATH_TYPE.contains(type) && (name.equals("PI") || name.equals("E"))) {
          return new Expr.Constant("Math." + name, null, Type.DOUBLE, false);
        }
        if (isOwner(type)) {
          return field(e, name);
        }
        throw reject(e, "a read of the field " + e);
      }
      case UNARY_MINUS -> {
        return new Expr.Neg(expr(((UnaryTree) e).getExpression(), scope));
      }
      case UNARY_PLUS -> {
        return expr(((UnaryTree) e).getExpression(), scope);
      }
      case LOGICAL_COMPLEMENT -> {
        return new Expr.Not(expr(((UnaryTree) e).getExpression(), scope));
      }
      case PLUS, MINUS, MULTIPLY, DIVIDE, LESS_THAN, LESS_THAN_EQUAL, GREATER_THAN,
          GREATER_THAN_EQUAL, EQUAL_TO, NOT_EQUAL_TO, CONDITIONAL_AND, CONDITIONAL_OR -> {
        BinaryTree b = (BinaryTree) e;
        return new Expr.Binary(operator(e.getKind()), expr(b.getLeftOperand(), scope),
            expr(b.getRightOperand(), scope));
      }
      case CONDITIONAL_EXPRESSION -> {
        ConditionalExpressionTree c = (ConditionalExpressionTree) e;
        return new Expr.Conditional(expr(c.getCondition(), scope),
            expr(c.getTrueExpression(), scope), expr(c.getFalseExpression(), scope));
      }
      case TYPE_CAST -> {
        TypeCastTree c = (TypeCastTree) e;
        Type type = c.getType() instanceof PrimitiveTypeTree ? primitive(c.getType(), c) : null;
        if (type == null || type == Type.BOOLEAN) {
          throw reject(c, "a cast to " + c.getType());
        }
        return new Expr.Cast(type, expr(c.getExpression(), scope));
      }
      case METHOD_INVOCATION -> {
        return call((MethodInvocationTree) e, scope);
      }
      default -> {
        String assigned = assignedName(e);
        throw reject(e, assigned != null ? assignment(assigned) : describe(e.getKind()));
      }
    }
  }

  private Expr call(MethodInvocationTree call, Map<String, Expr.Var> scope) throws NotDerivable {
    ExpressionTree select = call.getMethodSelect();
    String name;
    boolean math = false;
    if (select instanceof IdentifierTree id) {
      name = id.getName().toString();
    } else if (select instanceof MemberSelectTree m && (isOwner(m.getExpression().toString())
        || MATH_TYPE.contains(m.getExpression().toString()))) {
      name = m.getIdentifier().toString();
      math = MATH_TYPE.contains(m.getExpression().toString());
    } else {
      throw reject(call, "a call to " + select);
    }
    List<Expr> args = new ArrayList<>();
    for (ExpressionTree a : call.getArguments()) {
      args.add(expr(a, scope));
    }
    if (math) {
      Integer arity = MATH.get(name);
      if (arity == null || arity != args.size()) {
        throw reject(call, "a call to Math." + name + " with " + args.size() + " argument"
            + (args.size() == 1 ? "" : "s"));
      }
      return new Expr.MathCall(name, args, mathType(name, args));
    }
    List<ExecutableElement> candidates = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(owner.getEnclosedElements())) {
      if (m.getSimpleName().contentEquals(name) && m.getParameters().size() == args.size()
          && m.getModifiers().contains(Modifier.STATIC)) {
        candidates.add(m);
      }
    }
    if (candidates.isEmpty()) {
      throw reject(call, "a call to " + name + ", which is not a static method of "
          + owner.getSimpleName());
    }
    // Overloads would need javac's resolution, which processors do not get.
    if (candidates.size() > 1) {
      throw reject(call, "a call to the overloaded method " + name);
    }
    ExecutableElement helper = candidates.get(0);
    int at = reading.indexOf(helper);
    if (at >= 0) {
      StringBuilder chain = new StringBuilder();
      for (ExecutableElement m : reading.subList(at, reading.size())) {
        chain.append(m.getSimpleName()).append(" -> ");
      }
      throw reject(call, "a recursive call (" + chain + name + ")");
    }
    if (helper.getModifiers().contains(Modifier.PRIVATE)) {
      throw reject(call, "a call to the private method " + name
          + " (the generated model calls it: make it package-private)");
    }
    return new Expr.Call(read(helper), args);
  }

  /** A static final constant of the network class, or an error. */
  private Expr field(Tree tree, String name) throws NotDerivable {
    for (VariableElement f : ElementFilter.fieldsIn(owner.getEnclosedElements())) {
      if (f.getSimpleName().contentEquals(name)) {
        Object value = f.getConstantValue();
        if (value instanceof Number n && f.getModifiers().contains(Modifier.STATIC)) {
          Type type = kind(f.asType().getKind());
          // The model is another class: it reads a private constant's value instead.
          return f.getModifiers().contains(Modifier.PRIVATE)
              ? constantValue(n, type)
              : new Expr.Constant(name, n.doubleValue(), type, true);
        }
        throw reject(tree, "a read of the field " + name + " (only static final numeric"
            + " constants can be read)");
      }
    }
    throw reject(tree, "the name " + name + ", neither a local nor a constant of "
        + owner.getSimpleName());
  }

  private static Expr constantValue(Number n, Type type) {
    String text = switch (type) {
      case FLOAT -> n.floatValue() + "f";
      case LONG -> n.longValue() + "L";
      default -> n.toString();
    };
    return new Expr.Constant(text, n.doubleValue(), type, false);
  }

  private static Type mathType(String name, List<Expr> args) {
    Type arg = args.get(0).type();
    for (Expr a : args) {
      arg = Type.promote(arg, a.type());
    }
    return switch (name) {
      case "abs", "min", "max" -> arg;
      case "signum" -> arg == Type.DOUBLE ? Type.DOUBLE : Type.FLOAT;
      default -> Type.DOUBLE;
    };
  }

  private boolean isOwner(String written) {
    return written.equals(owner.getSimpleName().toString())
        || written.equals(owner.getQualifiedName().toString());
  }

  private Type primitive(Tree type, Tree where) throws NotDerivable {
    Type t = type instanceof PrimitiveTypeTree p ? kind(p.getPrimitiveTypeKind()) : null;
    if (t == null) {
      throw reject(where, "a value of type " + type);
    }
    return t;
  }

  private static Type kind(TypeKind kind) {
    return switch (kind) {
      case INT -> Type.INT;
      case LONG -> Type.LONG;
      case FLOAT -> Type.FLOAT;
      case DOUBLE -> Type.DOUBLE;
      case BOOLEAN -> Type.BOOLEAN;
      default -> null;
    };
  }

  private static String operator(Tree.Kind kind) {
    return switch (kind) {
      case PLUS -> "+";
      case MINUS -> "-";
      case MULTIPLY -> "*";
      case DIVIDE -> "/";
      case LESS_THAN -> "<";
      case LESS_THAN_EQUAL -> "<=";
      case GREATER_THAN -> ">";
      case GREATER_THAN_EQUAL -> ">=";
      case EQUAL_TO -> "==";
      case NOT_EQUAL_TO -> "!=";
      case CONDITIONAL_AND -> "&&";
      default -> "||";
    };
  }

  /** The variable an assignment, compound assignment, ++ or -- writes; null for others. */
  private static String assignedName(ExpressionTree e) {
    if (e instanceof com.sun.source.tree.AssignmentTree a) {
      return a.getVariable().toString();
    }
    if (e instanceof com.sun.source.tree.CompoundAssignmentTree a) {
      return a.getVariable().toString();
    }
    return switch (e.getKind()) {
      case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
          ((UnaryTree) e).getExpression().toString();
      default -> null;
    };
  }

  private static String assignment(String name) {
    return "an assignment to '" + name + "' after its declaration (declare a new local instead)";
  }

  private static String describe(Tree.Kind kind) {
    return switch (kind) {
      case FOR_LOOP -> "a for loop";
      case ENHANCED_FOR_LOOP -> "a for-each loop";
      case WHILE_LOOP -> "a while loop";
      case DO_WHILE_LOOP -> "a do-while loop";
      case SWITCH, SWITCH_EXPRESSION -> "a switch";
      case TRY -> "a try statement";
      case THROW -> "a throw statement";
      case BLOCK -> "a nested block";
      case NEW_CLASS -> "an object creation (new)";
      case NEW_ARRAY, ARRAY_ACCESS -> "an array";
      case STRING_LITERAL -> "a string";
      case CHAR_LITERAL -> "a char";
      case LAMBDA_EXPRESSION, MEMBER_REFERENCE -> "a lambda or method reference";
      case REMAINDER -> "the operator %";
      case INSTANCE_OF -> "instanceof";
      default -> "the construct " + kind.name().toLowerCase().replace('_', ' ');
    };
  }

  /** The literal as written in the source ({@code 0.5f} stays {@code 0.5f}). */
  private String source(Tree tree) {
    var positions = trees.getSourcePositions();
    long start = positions.getStartPosition(unit, tree);
    long end = positions.getEndPosition(unit, tree);
    try {
      CharSequence text = unit.getSourceFile().getCharContent(true);
      if (start >= 0 && end <= text.length() && start < end) {
        return text.subSequence((int) start, (int) end).toString();
      }
    } catch (IOException e) {
      // Falls back to javac's own rendering of the literal.
    }
    return tree.toString();
  }

  private NotDerivable reject(Tree tree, String what) {
    return new NotDerivable(tree, unit, what);
  }
}
