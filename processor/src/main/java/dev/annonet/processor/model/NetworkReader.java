package dev.annonet.processor.model;

import dev.annonet.processor.Diagnostics;
import dev.annonet.processor.Message;
import dev.annonet.processor.layers.InputLayer;
import dev.annonet.processor.layers.LayerNode;
import dev.annonet.processor.layers.Layers;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads a {@code @Network} class into a {@link NetworkModel}: its layer fields in declaration
 * order, their activations, its loss and its phi methods. Reports what is wrong with the
 * declarations themselves; knows nothing about shapes. A field whose declaration is broken is
 * left out, and a layer with a bad size is kept (its shape is then unknown), so that the later
 * checks still run without cascading errors.
 */
public final class NetworkReader {
  private final Diagnostics diagnostics;
  private final Elements elements;

  /** A reader that reports to {@code diagnostics} and reads defaults through {@code elements}. */
  public NetworkReader(Diagnostics diagnostics, Elements elements) {
    this.diagnostics = diagnostics;
    this.elements = elements;
  }

  /** The network declared by {@code type}, or null when it is not a class at all. */
  public NetworkModel read(TypeElement type) {
    Origin typeOrigin = Origin.of(type, mirror(type, Names.NETWORK));
    String name = type.getSimpleName().toString();
    if (type.getKind() != ElementKind.CLASS) {
      diagnostics.error(
          typeOrigin, Message.NOT_A_CLASS, name, type.getKind().toString().toLowerCase());
      return null;
    }
    if (!type.getModifiers().contains(Modifier.ABSTRACT)) {
      diagnostics.error(typeOrigin, Message.NOT_ABSTRACT, name, name + "Model", name);
    }
    if (type.getModifiers().contains(Modifier.PRIVATE)) {
      diagnostics.error(typeOrigin, Message.PRIVATE_NETWORK, name, name + "Model");
    }
    LossSpec loss = readLoss(type, typeOrigin);
    List<LayerNode> layers = readLayers(type);
    if (!layers.isEmpty()) {
      checkInputFirst(layers);
    }
    if (layers.stream().noneMatch(LayerNode::hasParameters)) {
      diagnostics.error(typeOrigin, Message.NO_LAYERS, name);
    }
    loss = readPhi(type, loss, typeOrigin);
    String pkg = packageOf(type);
    return new NetworkModel(pkg, name, layers, loss, typeOrigin);
  }

  private LossSpec readLoss(TypeElement type, Origin typeOrigin) {
    LossSpec loss = null;
    for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
      LossKind kind = LossKind.forAnnotation(qualifiedName(mirror));
      if (kind == null) {
        continue;
      }
      Origin origin = Origin.of(type, mirror);
      if (loss != null) {
        diagnostics.error(
            origin,
            Message.TWO_LOSSES,
            type.getSimpleName(),
            "@" + loss.kind().annotation(),
            "@" + kind.annotation());
        continue;
      }
      float delta = 0f;
      if (kind == LossKind.HUBER) {
        double written = attributes(mirror).doubleValue("value");
        delta = (float) written;
        String bad = LayerReading.rejected(written, d -> d > 0 && !Double.isInfinite(d));
        if (bad != null) {
          diagnostics.error(origin.atValue(), Message.HUBER_DELTA, bad);
        }
      }
      loss = new LossSpec(kind, delta, null, null, origin, null);
    }
    if (loss == null) {
      diagnostics.error(typeOrigin, Message.NO_LOSS, type.getSimpleName());
    }
    return loss;
  }

  private List<LayerNode> readLayers(TypeElement type) {
    List<LayerNode> layers = new ArrayList<>();
    for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      List<AnnotationMirror> layerAnnotations = new ArrayList<>();
      List<AnnotationMirror> activations = new ArrayList<>();
      for (AnnotationMirror mirror : field.getAnnotationMirrors()) {
        String annotation = qualifiedName(mirror);
        if (annotation.startsWith(Names.NN)
            && Layers.isLayer(annotation.substring(Names.NN.length()))) {
          layerAnnotations.add(mirror);
        } else if (ActivationKind.forAnnotation(annotation) != null) {
          activations.add(mirror);
        }
      }
      String name = field.getSimpleName().toString();
      boolean layerType = isLayerType(field);
      if (layerAnnotations.isEmpty()) {
        if (layerType || !activations.isEmpty()) {
          diagnostics.error(Origin.of(field), Message.MISSING_LAYER_ANNOTATION, name);
        }
        continue;
      }
      Origin origin = Origin.of(field, layerAnnotations.get(0));
      if (!layerType) {
        diagnostics.error(
            origin,
            Message.NOT_A_LAYER_FIELD,
            name,
            "@" + simpleName(layerAnnotations.get(0)),
            field.asType(),
            name);
        continue;
      }
      if (field.getModifiers().contains(Modifier.STATIC)) {
        diagnostics.error(origin, Message.STATIC_LAYER, name);
        continue;
      }
      if (layerAnnotations.size() > 1) {
        diagnostics.error(
            Origin.of(field, layerAnnotations.get(1)),
            Message.TWO_LAYER_ANNOTATIONS,
            name,
            "@" + simpleName(layerAnnotations.get(0)),
            "@" + simpleName(layerAnnotations.get(1)));
        continue;
      }
      Activation activation = readActivation(field, activations);
      LayerNode node = readNode(field, layerAnnotations.get(0), activation);
      layers.add(node);
    }
    return layers;
  }

  private Activation readActivation(VariableElement field, List<AnnotationMirror> activations) {
    if (activations.isEmpty()) {
      return Activation.none(Origin.of(field));
    }
    String name = field.getSimpleName().toString();
    if (activations.size() > 1) {
      diagnostics.error(
          Origin.of(field, activations.get(1)),
          Message.TWO_ACTIVATIONS,
          name,
          "@" + simpleName(activations.get(0)),
          "@" + simpleName(activations.get(1)));
    }
    AnnotationMirror mirror = activations.get(0);
    ActivationKind kind = ActivationKind.forAnnotation(qualifiedName(mirror));
    Origin origin = Origin.of(field, mirror);
    float alpha = 0f;
    if (kind == ActivationKind.LEAKY_RELU) {
      double written = attributes(mirror).doubleValue("value");
      alpha = (float) written;
      String bad = LayerReading.rejected(written, a -> a > 0 && a < 1);
      if (bad != null) {
        diagnostics.error(origin.atValue(), Message.LEAKY_RELU_ALPHA, bad, name);
      }
    }
    if (kind == ActivationKind.GELU) {
      List<String> written = attributes(mirror).strings("approximate");
      String approximate = written.isEmpty() ? "" : written.get(0);
      if (approximate.equals("tanh")) {
        kind = ActivationKind.GELU_TANH;
      } else if (!approximate.equals("none")) {
        diagnostics.error(origin.at("approximate"), Message.GELU_APPROXIMATE, approximate, name);
      }
    }
    return new Activation(kind, alpha, origin);
  }

  /** The node of {@code field}, read by the kind of its layer annotation {@code mirror}. */
  private LayerNode readNode(VariableElement field, AnnotationMirror mirror, Activation act) {
    LayerReading reading = new LayerReading(field.getSimpleName().toString(),
        Origin.of(field, mirror), attributes(mirror), act, diagnostics);
    return Layers.read(simpleName(mirror), reading);
  }

  private void checkInputFirst(List<LayerNode> layers) {
    LayerNode first = layers.get(0);
    if (!(first instanceof InputLayer)) {
      diagnostics.error(first.origin(), Message.NO_INPUT, first.name(), "@" + first.kind());
    }
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i) instanceof InputLayer input) {
        diagnostics.error(input.origin(), Message.INPUT_NOT_FIRST, input.name(), first.name());
      }
    }
  }

  /** Finds the phi methods; checks them against the loss. Returns the loss with their names. */
  private LossSpec readPhi(TypeElement type, LossSpec loss, Origin typeOrigin) {
    ExecutableElement phi = findPhi(type, Names.PHI, "Phi");
    ExecutableElement dphi = findPhi(type, Names.PHI_DERIVATIVE, "PhiDerivative");
    boolean residual = loss != null && loss.kind() == LossKind.RESIDUAL;
    if (!residual) {
      String lossName = loss == null ? "missing" : "@" + loss.kind().annotation();
      for (ExecutableElement method : new ExecutableElement[] {phi, dphi}) {
        if (method != null) {
          String which = method == phi ? "Phi" : "PhiDerivative";
          diagnostics.error(
              Origin.of(method, mirror(method, Names.NN + which)),
              Message.PHI_WITHOUT_RESIDUAL_LOSS,
              which,
              method.getSimpleName(),
              type.getSimpleName(),
              lossName);
        }
      }
      return loss;
    }
    if (phi == null) {
      diagnostics.error(
          loss.origin(), Message.MISSING_PHI, "a @Phi method", "Phi", "phi", type.getSimpleName());
    }
    // Without @PhiDerivative, the derivative is derived from phi's source (package phi).
    return new LossSpec(
        loss.kind(),
        loss.delta(),
        phi == null ? null : phi.getSimpleName().toString(),
        dphi == null ? null : dphi.getSimpleName().toString(),
        loss.origin(),
        phi == null ? null : Origin.of(phi, mirror(phi, Names.PHI)));
  }

  private ExecutableElement findPhi(TypeElement type, String annotation, String simple) {
    ExecutableElement found = null;
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      AnnotationMirror mirror = mirror(method, annotation);
      if (mirror == null) {
        continue;
      }
      Origin origin = Origin.of(method, mirror);
      if (found != null) {
        diagnostics.error(
            origin,
            Message.TWO_PHI,
            type.getSimpleName(),
            simple,
            found.getSimpleName(),
            method.getSimpleName());
        continue;
      }
      boolean ok =
          method.getModifiers().contains(Modifier.STATIC)
              && !method.getModifiers().contains(Modifier.PRIVATE)
              && method.getReturnType().getKind() == TypeKind.FLOAT
              && method.getParameters().size() == 1
              && method.getParameters().get(0).asType().getKind() == TypeKind.FLOAT;
      if (!ok) {
        diagnostics.error(
            origin,
            Message.PHI_SIGNATURE,
            simple,
            method.getSimpleName(),
            method.getSimpleName(),
            signature(method));
        // Counted as found: a second error that it is "missing" would only repeat this one.
      }
      found = method;
    }
    return found;
  }

  private static String signature(ExecutableElement method) {
    StringBuilder s = new StringBuilder();
    for (Modifier modifier : method.getModifiers()) {
      s.append(modifier).append(' ');
    }
    s.append(method.getReturnType()).append(' ').append(method.getSimpleName()).append('(');
    for (int i = 0; i < method.getParameters().size(); i++) {
      VariableElement p = method.getParameters().get(i);
      s.append(i == 0 ? "" : ", ").append(p.asType()).append(' ').append(p.getSimpleName());
    }
    return s.append(')').toString();
  }

  private static boolean isLayerType(VariableElement field) {
    return field.asType().getKind() == TypeKind.DECLARED
        && field.asType().toString().equals(Names.LAYER);
  }

  private static String packageOf(Element element) {
    Element e = element;
    while (e.getKind() != ElementKind.PACKAGE) {
      e = e.getEnclosingElement();
    }
    return e.toString().equals("unnamed package") ? "" : e.toString();
  }

  static String qualifiedName(AnnotationMirror mirror) {
    return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
  }

  static String simpleName(AnnotationMirror mirror) {
    return mirror.getAnnotationType().asElement().getSimpleName().toString();
  }

  static AnnotationMirror mirror(Element element, String qualifiedName) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (qualifiedName(mirror).equals(qualifiedName)) {
        return mirror;
      }
    }
    return null;
  }

  /** The annotation's settings, each as written or else as the annotation declares it. */
  private Attributes attributes(AnnotationMirror mirror) {
    return Attributes.of(mirror, elements);
  }
}
