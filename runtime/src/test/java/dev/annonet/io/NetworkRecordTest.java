package dev.annonet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.LayerInfo;
import dev.annonet.Model;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The network record of model files and checkpoints: any change to one layer's name, kind,
 * activation or shape, or a layer more or less, is told apart, and names the layer.
 */
class NetworkRecordTest {
  private static final String[] KINDS = {"Input", "Dense", "Conv2d", "MaxPool", "Flatten"};
  private static final String[] ACTIVATIONS = {"", "Relu", "Tanh", "Sigmoid", "LeakyRelu"};

  @Test
  void everyChangeOfOneLayerIsNamed() {
    Random random = new Random(20261203);
    for (int trial = 0; trial < 3000; trial++) {
      List<LayerInfo> layers = new ArrayList<>();
      int count = 1 + random.nextInt(6);
      for (int i = 0; i < count; i++) {
        layers.add(layer(random, "l" + i));
      }
      Model model = model("Net", layers);
      String record = LayerInfo.summary(layers);
      assertNull(ModelFile.otherNetwork(model, "Net", record), record);
      assertNull(ModelFile.otherNetwork(model, "", null), "a file that records no network");

      List<LayerInfo> changed = new ArrayList<>(layers);
      int at = random.nextInt(count);
      int change = random.nextInt(6);
      LayerInfo old = changed.get(at);
      int expectedLayer = at + 1;
      switch (change) {
        case 0 -> changed.set(at, with(old, old.name() + "x", old.kind(), old.activation(),
            old.shape()));
        case 1 -> changed.set(at, with(old, old.name(), other(random, KINDS, old.kind()),
            old.activation(), old.shape()));
        case 2 -> changed.set(at, with(old, old.name(), old.kind(),
            other(random, ACTIVATIONS, old.activation()), old.shape()));
        case 3 -> {
          int[] shape = old.shape().clone();
          shape[random.nextInt(shape.length)] += 1 + random.nextInt(3);
          changed.set(at, with(old, old.name(), old.kind(), old.activation(), shape));
        }
        case 4 -> {
          changed.add(at, layer(random, "extra"));
        }
        default -> {
          changed.remove(at);
          if (changed.isEmpty()) {
            continue;
          }
          expectedLayer = at + 1;
        }
      }
      String theirs = LayerInfo.summary(changed);
      String difference = ModelFile.otherNetwork(model, "Net", theirs);
      assertNotNull(difference, theirs + " vs " + record);
      assertTrue(difference.startsWith("another version of Net: its layer " + expectedLayer
          + " is "), difference);
      assertEquals("network Other, not Net", ModelFile.otherNetwork(model, "Other", record));
    }
  }

  private static LayerInfo layer(Random random, String name) {
    int[] shape = new int[1 + random.nextInt(3)];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = 1 + random.nextInt(64);
    }
    return new LayerInfo(name, KINDS[random.nextInt(KINDS.length)],
        ACTIVATIONS[random.nextInt(ACTIVATIONS.length)], shape, -1, new int[0], -1, 0);
  }

  private static LayerInfo with(LayerInfo l, String name, String kind, String activation,
      int[] shape) {
    return new LayerInfo(name, kind, activation, shape, l.weightOffset(), l.weightShape(),
        l.biasOffset(), l.biasSize());
  }

  private static String other(Random random, String[] choices, String not) {
    String pick;
    do {
      pick = choices[random.nextInt(choices.length)];
    } while (pick.equals(not));
    return pick;
  }

  /** A model that knows only its name and layers: all the record needs. */
  private static Model model(String name, List<LayerInfo> layers) {
    return (Model) Proxy.newProxyInstance(Model.class.getClassLoader(),
        new Class<?>[] {Model.class}, (proxy, method, args) -> switch (method.getName()) {
          case "name" -> name;
          case "layers" -> layers;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
