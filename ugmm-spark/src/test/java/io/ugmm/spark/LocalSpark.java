package io.ugmm.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession for every test class of the module (Spark takes seconds to start); Spark's own
 * shutdown hook stops it when the test JVM exits.
 */
final class LocalSpark {
    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        return SparkSession.builder().master("local[2]").appName("ugmm-spark-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }
}
