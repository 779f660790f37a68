package dev.annonet.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import java.util.ArrayList;
import java.util.List;

/** The runtime types that generated code refers to. */
final class RuntimeNames {
  private static final List<ClassName> TYPES = new ArrayList<>();

  static final ClassName MODEL = type("dev.annonet", "Model");
  static final ClassName MODELS = type("dev.annonet", "Models");
  static final ClassName TASK = type("dev.annonet", "Task");
  static final ClassName LAYER_INFO = type("dev.annonet", "LayerInfo");
  static final ClassName DENSE = type("dev.annonet.kernels", "Dense");
  static final ClassName ACTIVATION = type("dev.annonet.kernels", "Activation");
  static final ClassName LOSSES = type("dev.annonet.kernels", "Losses");
  static final ClassName INIT = type("dev.annonet.kernels", "Init");
  static final ClassName MERGE = type("dev.annonet.kernels", "Merge");
  static final ClassName CONV2D = type("dev.annonet.kernels", "Conv2d");
  static final ClassName POOL = type("dev.annonet.kernels", "Pool");
  static final ClassName DROPOUT = type("dev.annonet.kernels", "Dropout");
  static final ClassName BATCH_NORM = type("dev.annonet.kernels", "BatchNorm");
  static final ClassName BATCH_NORM_INFERENCE =
      type("dev.annonet.kernels", "BatchNormInference");
  static final ClassName LAYER_NORM = type("dev.annonet.kernels", "LayerNorm");
  static final ClassName RANDOM = type("java.util", "SplittableRandom");
  static final ClassName ARRAYS = type("java.util", "Arrays");
  static final ClassName LIST = type("java.util", "List");
  static final ParameterizedTypeName LAYER_LIST = ParameterizedTypeName.get(LIST, LAYER_INFO);

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
