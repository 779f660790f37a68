package dev.annonet.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import java.util.ArrayList;
import java.util.List;

/** The runtime types that generated code refers to. */
public final class RuntimeNames {
  private static final List<ClassName> TYPES = new ArrayList<>();

  public static final ClassName MODEL = type("dev.annonet", "Model");
  public static final ClassName MODELS = type("dev.annonet", "Models");
  public static final ClassName TASK = type("dev.annonet", "Task");
  public static final ClassName LAYER_INFO = type("dev.annonet", "LayerInfo");
  public static final ClassName BATCH_SLICES = type("dev.annonet.kernels", "BatchSlices");
  public static final ClassName IMAGE_CHAIN = type("dev.annonet.kernels", "ImageChain");
  public static final ClassName IMAGE_PASS = IMAGE_CHAIN.nestedClass("Pass");
  public static final ClassName DENSE = type("dev.annonet.kernels", "Dense");
  public static final ClassName ACTIVATION = type("dev.annonet.kernels", "Activation");
  public static final ClassName LOSSES = type("dev.annonet.kernels", "Losses");
  public static final ClassName INIT = type("dev.annonet.kernels", "Init");
  public static final ClassName MERGE = type("dev.annonet.kernels", "Merge");
  public static final ClassName CONV2D = type("dev.annonet.kernels", "Conv2d");
  public static final ClassName POOL = type("dev.annonet.kernels", "Pool");
  public static final ClassName DROPOUT = type("dev.annonet.kernels", "Dropout");
  public static final ClassName BATCH_NORM = type("dev.annonet.kernels", "BatchNorm");
  public static final ClassName BATCH_NORM_INFERENCE =
      type("dev.annonet.kernels", "BatchNormInference");
  public static final ClassName LAYER_NORM = type("dev.annonet.kernels", "LayerNorm");
  public static final ClassName EMBEDDING = type("dev.annonet.kernels", "Embedding");
  public static final ClassName POSITIONAL_EMBEDDING =
      type("dev.annonet.kernels", "PositionalEmbedding");
  public static final ClassName LAST_STEP = type("dev.annonet.kernels", "LastStep");
  public static final ClassName MEAN_OVER_STEPS = type("dev.annonet.kernels", "MeanOverSteps");
  public static final ClassName ATTENTION = type("dev.annonet.kernels", "Attention");
  public static final ClassName LSTM = type("dev.annonet.kernels", "Lstm");
  public static final ClassName GRU = type("dev.annonet.kernels", "Gru");
  public static final ClassName RANDOM = type("java.util", "SplittableRandom");
  public static final ClassName ARRAYS = type("java.util", "Arrays");
  public static final ClassName LIST = type("java.util", "List");
  public static final ParameterizedTypeName LAYER_LIST =
      ParameterizedTypeName.get(LIST, LAYER_INFO);

  private static ClassName type(String packageName, String simpleName) {
    ClassName type = ClassName.get(packageName, simpleName);
    TYPES.add(type);
    return type;
  }

  /** The simple names of the types above, which generated code uses unqualified. */
  static List<String> simpleNames() {
    return TYPES.stream().map(ClassName::simpleName).toList();
  }

  private RuntimeNames() {}
}
