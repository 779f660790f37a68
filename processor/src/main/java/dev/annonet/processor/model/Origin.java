package dev.annonet.processor.model;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where a part of the network was declared: the element, and the annotation and its value when
 * known, so that a diagnostic's caret lands on {@code 128} in {@code @Dense(128)}. The only part
 * of the model that touches {@code javax.lang.model}.
 */
public record Origin(Element element, AnnotationMirror annotation, AnnotationValue value) {

  public static Origin of(Element element) {
    return new Origin(element, null, null);
  }

  public static Origin of(Element element, AnnotationMirror annotation) {
    return new Origin(element, annotation, null);
  }

  /** This origin narrowed to the annotation's {@code value} attribute when it is explicit. */
  public Origin atValue() {
    return at("value");
  }

  /** This origin narrowed to the annotation's {@code attribute} when it is explicit. */
  public Origin at(String attribute) {
    if (annotation == null) {
      return this;
    }
    for (var entry : annotation.getElementValues().entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(attribute)) {
        return new Origin(element, annotation, entry.getValue());
      }
    }
    return this;
  }
}
