package dev.annonet.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import dev.annonet.processor.model.Origin;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;

/** Reports errors and notes on elements, and remembers whether any error was reported. */
public final class Diagnostics {
  private final Messager messager;
  private int errors;

  public Diagnostics(Messager messager) {
    this.messager = messager;
  }

  /** Reports an error at {@code origin} (element, annotation and value where known). */
  public void error(Origin origin, Message message, Object... args) {
    errors++;
    print(Diagnostic.Kind.ERROR, origin, message.format(args));
  }

  /** Reports an error on {@code tree}, a part of a method body in {@code unit}. */
  public void error(
      Trees trees, Tree tree, CompilationUnitTree unit, Message message, Object... args) {
    errors++;
    trees.printMessage(Diagnostic.Kind.ERROR, message.format(args), tree, unit);
  }

  /** Prints a note at {@code origin}. */
  public void note(Origin origin, String text) {
    print(Diagnostic.Kind.NOTE, origin, text);
  }

  /** Number of errors reported so far. */
  public int errorCount() {
    return errors;
  }

  private void print(Diagnostic.Kind kind, Origin origin, String text) {
    if (origin.value() != null) {
      messager.printMessage(kind, text, origin.element(), origin.annotation(), origin.value());
    } else if (origin.annotation() != null) {
      messager.printMessage(kind, text, origin.element(), origin.annotation());
    } else {
      messager.printMessage(kind, text, origin.element());
    }
  }
}
