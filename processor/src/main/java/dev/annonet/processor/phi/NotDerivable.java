package dev.annonet.processor.phi;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;

/** A construct outside the subset: {@code what} names it, {@code tree} is where it is written. */
final class NotDerivable extends Exception {
  private static final long serialVersionUID = 1L;

  final transient Tree tree;
  final transient CompilationUnitTree unit;
  final String what;

  NotDerivable(Tree tree, CompilationUnitTree unit, String what) {
    super(what, null, false, false);
    this.tree = tree;
    this.unit = unit;
    this.what = what;
  }
}
