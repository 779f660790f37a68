package dev.annonet.processor.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.nn.Layer;
import dev.annonet.processor.model.ActivationKind;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Target;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The three lists of layer kinds agree: the records the sealed {@link LayerNode} permits, the
 * annotations {@link Layers} reads, and the field annotations of the runtime's {@code
 * dev.annonet.nn} (each a layer or an activation), so that a kind added to one is not forgotten
 * in another.
 */
class LayersTest {

  @Test
  void everyKindIsRegisteredUnderItsAnnotation() {
    List<String> kinds = new ArrayList<>();
    for (Class<?> kind : kinds(LayerNode.class)) {
      assertTrue(kind.isRecord() && kind.getSimpleName().endsWith("Node"), kind.getName());
      kinds.add(kind.getSimpleName().replaceFirst("Node$", ""));
    }
    assertEquals(new TreeSet<>(kinds), new TreeSet<>(Layers.annotations()));
  }

  @Test
  void everyFieldAnnotationOfTheRuntimeIsALayerOrAnActivation() throws Exception {
    List<String> fieldAnnotations = new ArrayList<>();
    for (String name : runtimeTypes()) {
      Class<?> type = Class.forName("dev.annonet.nn." + name);
      Target target = type.getAnnotation(Target.class);
      if (type.isAnnotation() && target != null
          && Arrays.asList(target.value()).contains(ElementType.FIELD)) {
        fieldAnnotations.add(name);
        assertTrue(
            Layers.isLayer(name) ^ ActivationKind.forAnnotation("dev.annonet.nn." + name) != null,
            "@" + name + " goes on fields: register it in Layers, or as an ActivationKind");
      }
    }
    assertTrue(fieldAnnotations.containsAll(Layers.annotations()),
        "registered " + Layers.annotations() + ", declared " + fieldAnnotations);
  }

  /** The records under a sealed type, through its sealed sub-interfaces. */
  private static List<Class<?>> kinds(Class<?> sealed) {
    List<Class<?>> kinds = new ArrayList<>();
    for (Class<?> permitted : sealed.getPermittedSubclasses()) {
      if (permitted.isSealed()) {
        kinds.addAll(kinds(permitted));
      } else {
        kinds.add(permitted);
      }
    }
    return kinds;
  }

  /** The simple names of the top-level types in the runtime's {@code dev.annonet.nn}. */
  private static List<String> runtimeTypes() throws IOException, URISyntaxException {
    Path location =
        Path.of(Layer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isDirectory(location)) {
      return typesIn(location.resolve("dev/annonet/nn"));
    }
    try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
      return typesIn(jar.getPath("dev/annonet/nn"));
    }
  }

  private static List<String> typesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".class") && !f.contains("$"))
          .map(f -> f.substring(0, f.length() - ".class".length()))
          .toList();
    }
  }
}
