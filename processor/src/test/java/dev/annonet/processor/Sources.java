package dev.annonet.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;

/** Test sources: a network class in package {@code test}, compiled with the processor. */
final class Sources {
  static final String IMPORTS = "package test;\nimport dev.annonet.nn.*;\n";

  private Sources() {}

  /** A source file {@code test/<name>.java} holding the imports and {@code body}. */
  static JavaFileObject network(String name, String body) {
    return JavaFileObjects.forSourceString("test." + name, IMPORTS + body);
  }

  static Compilation compile(JavaFileObject... sources) {
    return javac()
        .withProcessors(new NetworkProcessor())
        .withOptions("-Xlint:all", "-Werror")
        .compile(sources);
  }
}
