package dev.annonet.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/**
 * Turns a column of MLlib vectors into the array&lt;float&gt; column that {@link Packing} packs:
 * the only class that calls MLlib, loaded only once a feature column is found to hold vectors
 * (so a user without MLlib on the classpath never needs it).
 */
final class VectorColumn {

  private VectorColumn() {}

  /**
   * {@code vectors} (dense or sparse, {@code org.apache.spark.ml.linalg} or
   * {@code org.apache.spark.mllib.linalg}) as dense float arrays, each value rounded from double
   * to float as an array&lt;double&gt; column's are; null stays null, so the packing names the row.
   */
  static Column toFloatArray(Column vectors) {
    // vector_to_array throws on a null vector, with no word of which row held it.
    return functions.when(vectors.isNotNull(),
        org.apache.spark.ml.functions.vector_to_array(vectors, "float32"));
  }
}
