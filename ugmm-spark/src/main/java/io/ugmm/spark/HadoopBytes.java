package io.ugmm.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;

/** A whole file's bytes written or read through Hadoop's file system (local, HDFS, S3 ...), for ML persistence. */
final class HadoopBytes {
    private HadoopBytes() {
    }

    /** Writes {@code bytes} to a new file {@code file} (an existing one is an error). */
    static void write(Path file, byte[] bytes, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(bytes);
        }
    }

    static byte[] read(Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        long length = fs.getFileStatus(file).getLen();
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("it has " + length + " bytes, more than a Java array holds");
        }
        byte[] bytes = new byte[(int) length];
        try (FSDataInputStream in = fs.open(file)) {
            in.readFully(bytes);
        }
        return bytes;
    }
}
