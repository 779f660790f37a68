package dev.annonet.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;

/** The runtime types that generated code refers to. */
final class RuntimeNames {
  static final ClassName MODEL = ClassName.get("dev.annonet", "Model");
  static final ClassName MODELS = ClassName.get("dev.annonet", "Models");
  static final ClassName TASK = ClassName.get("dev.annonet", "Task");
  static final ClassName LAYER_INFO = ClassName.get("dev.annonet", "LayerInfo");
  static final ClassName DENSE = ClassName.get("dev.annonet.kernels", "Dense");
  static final ClassName ACTIVATION = ClassName.get("dev.annonet.kernels", "Activation");
  static final ClassName LOSSES = ClassName.get("dev.annonet.kernels", "Losses");
  static final ClassName INIT = ClassName.get("dev.annonet.kernels", "Init");
  static final ClassName MERGE = ClassName.get("dev.annonet.kernels", "Merge");
  static final ClassName CONV2D = ClassName.get("dev.annonet.kernels", "Conv2d");
  static final ClassName POOL = ClassName.get("dev.annonet.kernels", "Pool");
  static final ClassName DROPOUT = ClassName.get("dev.annonet.kernels", "Dropout");
  static final ClassName BATCH_NORM = ClassName.get("dev.annonet.kernels", "BatchNorm");
  static final ClassName BATCH_NORM_INFERENCE =
      ClassName.get("dev.annonet.kernels", "BatchNormInference");
  static final ClassName LAYER_NORM = ClassName.get("dev.annonet.kernels", "LayerNorm");
  static final ClassName RANDOM = ClassName.get("java.util", "SplittableRandom");
  static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");
  static final ClassName LIST = ClassName.get("java.util", "List");
  static final ParameterizedTypeName LAYER_LIST = ParameterizedTypeName.get(LIST, LAYER_INFO);

  private RuntimeNames() {}
}
