package io.ugmm.spark;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.FashionMnist;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Measurement helper, not a test (README "On a Spark cluster"): writes the 10,000 Fashion-MNIST test
 * images (pixels in [0, 1]) {@code copies} times as a Parquet file with one {@code features} column
 * (array&lt;float&gt;), the input scripts/spark-score.sh reads without parsing 784 CSV columns.
 * Arguments: output directory, copies (100 for 1,000,000 rows).
 */
public final class FashionParquet {
    private FashionParquet() {
    }

    public static void main(String[] args) {
        String out = args[0];
        int copies = Integer.parseInt(args[1]);
        Dataset test = FashionMnist.load().test().orElseThrow(); // pixels already in [0, 1]
        SparkSession spark = SparkSession.builder().master("local[2]").appName("fashion-parquet")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        List<Row> rows = new ArrayList<>(test.rows());
        for (int r = 0; r < test.rows(); r++) {
            rows.add(RowFactory.create((Object) test.row(r)));
        }
        org.apache.spark.sql.Dataset<Row> images = spark.createDataFrame(rows, new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false)));
        spark.range(copies).repartition(2).crossJoin(images).select("features").write().parquet(out);
        spark.stop();
    }
}
