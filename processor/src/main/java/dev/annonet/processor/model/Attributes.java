package dev.annonet.processor.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.util.Elements;

/**
 * An annotation's settings by attribute name: as written, or else as the annotation declares its
 * default ({@code @Conv2d}'s {@code stride() default 1}), so that the processor never keeps a copy
 * of a default that could drift from the annotation's. A value javac could not make sense of
 * (already reported by javac) reads as the declared default, and a required attribute without a
 * usable value as 0 (or empty), which the layer's own checks then report or skip.
 */
public final class Attributes {
  private final Map<String, AnnotationValue> values = new HashMap<>();
  private final Map<String, AnnotationValue> defaults = new HashMap<>();

  private Attributes() {}

  /** The settings of {@code mirror}, defaults filled in by {@code elements}. */
  public static Attributes of(AnnotationMirror mirror, Elements elements) {
    Attributes attributes = new Attributes();
    Map<? extends ExecutableElement, ? extends AnnotationValue> withDefaults =
        elements.getElementValuesWithDefaults(mirror);
    withDefaults.forEach((attribute, value) -> {
      String name = attribute.getSimpleName().toString();
      attributes.values.put(name, value);
      if (attribute.getDefaultValue() != null) {
        attributes.defaults.put(name, attribute.getDefaultValue());
      }
    });
    return attributes;
  }

  /** An {@code int} setting. */
  public int intValue(String name) {
    if (value(values, name) instanceof Integer i) {
      return i;
    }
    return value(defaults, name) instanceof Integer i ? i : 0;
  }

  /** A {@code boolean} setting. */
  public boolean booleanValue(String name) {
    if (value(values, name) instanceof Boolean b) {
      return b;
    }
    return value(defaults, name) instanceof Boolean b && b;
  }

  /** A real-valued setting as written ({@code 0.25}, or {@code 0.25f} widened exactly). */
  public double doubleValue(String name) {
    if (value(values, name) instanceof Number n) {
      return n.doubleValue();
    }
    return value(defaults, name) instanceof Number n ? n.doubleValue() : 0;
  }

  /** An {@code int[]} setting; a single value written without braces is one element. */
  public int[] intArray(String name) {
    Object v = value(values, name);
    if (v instanceof Integer i) {
      return new int[] {i};
    }
    if (v instanceof List<?> list) {
      int[] out = new int[list.size()];
      for (int i = 0; i < out.length; i++) {
        Object item = ((AnnotationValue) list.get(i)).getValue();
        out[i] = item instanceof Integer n ? n : 0;
      }
      return out;
    }
    return new int[0];
  }

  /** A {@code String[]} setting, leaving out elements that are not strings. */
  public List<String> strings(String name) {
    Object v = value(values, name);
    List<String> out = new ArrayList<>();
    if (v instanceof String single) {
      out.add(single);
    } else if (v instanceof List<?> list) {
      for (Object item : list) {
        if (((AnnotationValue) item).getValue() instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static Object value(Map<String, AnnotationValue> map, String name) {
    AnnotationValue v = map.get(name);
    return v == null ? null : v.getValue();
  }
}
