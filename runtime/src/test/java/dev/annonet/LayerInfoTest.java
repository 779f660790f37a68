package dev.annonet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.io.ModelFile;
import dev.annonet.io.SafeTensors;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A layer's parameter tensors: {@code weight} and {@code bias} by default, any PyTorch names a
 * layer gives them otherwise, and model files, parameter counts and gradient-check names follow
 * them.
 */
class LayerInfoTest {
  @Test
  void aWeightAndBiasLayerNamesItsTwoTensorsAsNnLinear() {
    LayerInfo dense = new LayerInfo("f1", "Dense", "Relu", new int[] {4}, 10, new int[] {4, 3},
        22, 4);
    assertEquals(List.of("weight", "bias"), dense.tensors().stream().map(LayerInfo.Tensor::name)
        .toList());
    assertEquals(16, dense.parameterCount());
    assertEquals("f1.weight", dense.fileName(dense.tensors().get(0)));
    assertEquals(22, dense.tensors().get(1).offset());
    assertArrayEquals(new int[] {4}, dense.tensors().get(1).shape());
    LayerInfo flatten = new LayerInfo("flat", "Flatten", "", new int[] {12}, -1, new int[0], -1,
        0);
    assertTrue(flatten.tensors().isEmpty());
    assertEquals(0, flatten.parameterCount());
  }

  @Test
  void modelFilesUseEachTensorsOwnNameAndSlice() {
    LayerInfo lstm = LayerInfo.ofTensors("rnn", "Lstm", "", new int[] {5, 2},
        new LayerInfo.Tensor("weight_ih_l0", 0, new int[] {8, 3}),
        new LayerInfo.Tensor("weight_hh_l0", 24, new int[] {8, 2}),
        new LayerInfo.Tensor("bias_ih_l0", 40, new int[] {8}),
        new LayerInfo.Tensor("bias_hh_l0", 48, new int[] {8}));
    LayerInfo head = new LayerInfo("out", "Dense", "", new int[] {1}, 56, new int[] {1, 2}, 58, 1);
    float[] params = new float[59];
    for (int i = 0; i < params.length; i++) {
      params[i] = i;
    }
    Model model = model(List.of(lstm, head), params);
    assertEquals(56, lstm.parameterCount());

    Map<String, SafeTensors.Tensor> tensors = ModelFile.tensors(model, true);
    assertEquals(List.of("rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
        "rnn.bias_hh_l0", "out.weight", "out.bias"), List.copyOf(tensors.keySet()));
    assertArrayEquals(new int[] {8, 2}, tensors.get("rnn.weight_hh_l0").shape());
    assertEquals(24f, tensors.get("rnn.weight_hh_l0").data()[0]);
    assertEquals(48f, tensors.get("rnn.bias_hh_l0").data()[0]);
    assertEquals(58f, tensors.get("out.bias").data()[0]);
    assertTrue(ModelFile.problems(model, tensors).isEmpty());

    float[] loaded = new float[params.length];
    ModelFile.copy(tensors, model, loaded, Map.of());
    assertArrayEquals(params, loaded);

    assertEquals("rnn.weight_hh_l0[1]", GradientCheck.parameterName(model, 25));
    assertEquals("rnn.bias_hh_l0[7]", GradientCheck.parameterName(model, 55));
    assertEquals("out.weight[0]", GradientCheck.parameterName(model, 56));
  }

  /** A model that knows only its layers and parameters: all model files need here. */
  private static Model model(List<LayerInfo> layers, float[] params) {
    return (Model) Proxy.newProxyInstance(Model.class.getClassLoader(),
        new Class<?>[] {Model.class}, (proxy, method, args) -> switch (method.getName()) {
          case "name" -> "Net";
          case "layers" -> layers;
          case "parameters" -> params;
          case "buffers" -> Map.of();
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
