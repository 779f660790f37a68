package dev.annonet.processor.codegen;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * The identifiers of one generated class, each given to one role. The model's own are taken from
 * the start: its fields and constants, its methods' parameters and locals, the simple names of
 * the types it refers to. Each layer then claims every identifier its code declares, all or
 * none ({@link Graph} renames a layer whose claim fails), and scratch buffers get fresh names.
 * So the generated class never declares a name twice, never shadows a field with a local, and
 * never hides a type behind a field, whatever the layers are called.
 */
final class Identifiers {
  private final Set<String> taken = new HashSet<>();

  Identifiers(Collection<String> model) {
    taken.addAll(model);
  }

  /** Takes all of {@code names} if none is taken or a keyword; otherwise takes none. */
  boolean claimAll(List<String> names) {
    Set<String> fresh = new HashSet<>();
    for (String name : names) {
      if (!usable(name) || !fresh.add(name)) {
        return false;
      }
    }
    taken.addAll(fresh);
    return true;
  }

  /** {@code base}, or {@code base2}, {@code base3}, ... the first one free; taken. */
  String fresh(String base) {
    for (int n = 1; n <= taken.size() + 1; n++) {
      String name = n == 1 ? base : base + n;
      if (usable(name)) {
        taken.add(name);
        return name;
      }
    }
    throw new IllegalStateException("no identifier can be made from " + base);
  }

  /** How many identifiers are taken: a bound on the renames any claim can need. */
  int size() {
    return taken.size();
  }

  private boolean usable(String name) {
    return SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name)
        && !taken.contains(name);
  }
}
