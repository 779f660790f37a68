package dev.annonet.processor.phi;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.sun.source.util.Trees;
import dev.annonet.processor.Diagnostics;
import dev.annonet.processor.Message;
import dev.annonet.processor.model.Origin;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Derives the model's {@code dphi} from the source of the network's {@code @Phi} method when the
 * user wrote no {@code @PhiDerivative}: read ({@link PhiReader}), differentiate ({@link
 * Differentiator}), write ({@link JavaWriter}). A construct outside the subset is an error on
 * that construct; a compiler that does not give method bodies to processors is an error on phi.
 */
public final class PhiDerivation {
  /** The name of the derivative in the generated model, public so that tests can call it. */
  public static final String NAME = "dphi";

  private PhiDerivation() {}

  /**
   * {@code public static float dphi(float r)} and the helpers' derivatives it calls, or null
   * after reporting why {@code phi} of {@code owner} (written into the model as {@code
   * ownerName}) cannot be derived.
   */
  public static List<MethodSpec> derive(
      ProcessingEnvironment env, ExecutableElement phi, Origin phiOrigin, ClassName ownerName,
      Diagnostics diagnostics) {
    Trees trees;
    try {
      trees = Trees.instance(env);
    } catch (IllegalArgumentException | LinkageError e) {
      trees = null; // Trees only works inside javac: Eclipse's compiler has no source trees
    }
    if (trees == null || trees.getPath(phi) == null) {
      diagnostics.error(phiOrigin, Message.PHI_NEEDS_JAVAC, phi.getSimpleName(),
          env.getClass().getName());
      return null;
    }
    TypeElement owner = (TypeElement) phi.getEnclosingElement();
    PhiReader reader = new PhiReader(trees, owner);
    Method read;
    try {
      read = reader.read(phi);
    } catch (NotDerivable e) {
      diagnostics.error(trees, e.tree, e.unit, Message.PHI_NOT_DERIVABLE, phi.getSimpleName(),
          e.what);
      return null;
    }
    Differentiator differentiator = new Differentiator();
    differentiator.deriveTop(read, NAME);
    JavaWriter writer = new JavaWriter(ownerName);
    String ownerText = String.join(".", ownerName.simpleNames());
    List<MethodSpec> methods = new ArrayList<>();
    differentiator.derivatives().forEach((source, derivative) -> {
      boolean top = source == read;
      methods.add(writer.method(derivative, top, javadoc(ownerText + "." + source.name(), top)));
    });
    return methods;
  }

  private static String javadoc(String source, boolean top) {
    String what = top
        ? "The derivative of {@code " + source + "(r)}, derived by Annonet from its source.\n"
        : "The derivative of {@code " + source + "} along the derivatives {@code d_x} of its\n"
            + "arguments (the chain rule at its call), derived by Annonet from its source.\n";
    return what
        + "\n<p>Forward-mode differentiation: each local {@code a} is followed by its derivative\n"
        + "{@code d_a}, each branch has its own derivative. At a kink it takes the value\n"
        + "PyTorch's autograd takes: {@code abs} has {@code signum}, 0 at 0; {@code max} and\n"
        + "{@code min} split a tie in half; a branch's boundary takes the branch the code takes.\n"
        + "Do not edit: change the source method, or write a {@code @PhiDerivative} method.\n";
  }
}
