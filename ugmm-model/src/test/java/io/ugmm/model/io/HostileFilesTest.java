package io.ugmm.model.io;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.ugmm.model.io.SafetensorsBytes.entry;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files whose headers claim enormous sizes must be rejected quickly and without allocating what they claim.
 * Runs in its own surefire execution with {@code -Xmx256m} (see ugmm-model/pom.xml), so honouring any of these
 * claims would end in an OutOfMemoryError instead of the expected {@link ModelFileException}; on top of that
 * each rejection's allocation is measured and must stay small.
 */
class HostileFilesTest {
    private static final long HEAP_LIMIT = 256L << 20;
    /** Allowed allocation per rejection: bookkeeping, parsing the tiny header, the exception. */
    private static final long SMALL = 1L << 20;

    @BeforeAll
    static void runsInASmallHeap() {
        // a -Dtest=... also selects this class in the default execution, whose heap is large: skip it there
        Assumptions.assumeTrue(System.getProperty("ugmm.hostile.heap") != null,
                "runs in the surefire execution hostile-files-256m-heap");
        long max = Runtime.getRuntime().maxMemory();
        assertTrue(max <= HEAP_LIMIT, "this test must run with -Xmx256m (surefire execution hostile-files-256m-heap), "
                + "but the heap limit is " + (max >> 20) + " MB");
    }

    private static void rejectedCheaply(String what, byte[] bytes, String expected) {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            long before = allocatedBytes();
            ModelFileException e = assertThrows(ModelFileException.class,
                    () -> ModelFiles.fromBytes(bytes, "hostile.safetensors"), what);
            long allocated = allocatedBytes() - before;
            assertTrue(e.getMessage().contains(expected), what + ": expected '" + expected + "' in " + e.getMessage());
            assertTrue(allocated < SMALL + 4L * bytes.length, what + ": rejecting it allocated " + allocated + " bytes");
        }, what);
    }

    /** Bytes allocated so far by this thread (HotSpot), or 0 where the JVM cannot tell. */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported()) {
            return bean.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }

    @Test
    void headerLengthsBeyondAnyFile() {
        rejectedCheaply("2^63", SafetensorsBytes.withLength(1L << 63, "{}".getBytes(), new byte[0]), "is over the limit");
        rejectedCheaply("2^64 - 1", SafetensorsBytes.withLength(-1L, "{}".getBytes(), new byte[0]), "is over the limit");
        rejectedCheaply("2^31", SafetensorsBytes.withLength(1L << 31, "{}".getBytes(), new byte[0]), "is over the limit");
        byte[] kilobyte = new byte[1024];
        kilobyte[0] = '{';
        rejectedCheaply("100 MB claimed in a 1 KB file", SafetensorsBytes.withLength(100_000_000L, kilobyte, new byte[0]),
                "header length 100000000 bytes is more than the 1024 bytes after the length prefix");
    }

    @Test
    void shapesAndOffsetsBeyondAnyFile() {
        rejectedCheaply("shape [2^40, 2^40]",
                SafetensorsBytes.of("{" + entry("layers.1.mu", "F32", "[1099511627776,1099511627776]", 0, 4) + "}", 4),
                "has more elements than fit in 64 bits");
        rejectedCheaply("shape [2^20, 2^20] with matching offsets in a tiny file",
                SafetensorsBytes.of("{" + entry("layers.1.mu", "F32", "[1048576,1048576]", 0, 4398046511104L) + "}", 16),
                "reach past the end of the 16-byte data section");
        rejectedCheaply("1.5 GB tensor (fits an int) in a tiny file",
                SafetensorsBytes.of("{" + entry("layers.1.mu", "F32", "[20000,20000]", 0, 1_600_000_000L) + "}", 16),
                "reach past the end");
        rejectedCheaply("offsets up to 2^63-1",
                SafetensorsBytes.of("{" + entry("w", "U8", "[9223372036854775807]", 0, Long.MAX_VALUE) + "}", 16),
                "reach past the end");
        rejectedCheaply("a thousand tensors each claiming 1 GB",
                SafetensorsBytes.of("{" + thousandBigTensors() + "}", 8), "reach past the end");
    }

    private static String thousandBigTensors() {
        StringBuilder sb = new StringBuilder();
        long gb = 1L << 30;
        for (int i = 0; i < 1000; i++) {
            sb.append(i == 0 ? "" : ",").append(entry("t" + i, "U8", "[" + gb + "]", i * gb, (i + 1) * gb));
        }
        return sb.toString();
    }

    @Test
    void deepOrHugeHeaders() {
        rejectedCheaply("10^6-deep nesting", SafetensorsBytes.of("{\"__metadata__\":" + "[".repeat(1_000_000) + "}", 0),
                "nesting deeper than 64 levels");
        rejectedCheaply("a number with 10^6 digits",
                SafetensorsBytes.of("{" + entry("w", "U8", "[" + "9".repeat(1_000_000) + "]", 0, 0) + "}", 0),
                "number longer than 100 characters");
    }

    @Test
    void claimsInFilesOnDiskAreCheckedAgainstTheFileSize(@TempDir Path dir) throws Exception {
        byte[] kilobyte = new byte[1024];
        kilobyte[0] = '{';
        Path header = dir.resolve("header-claim.safetensors");
        Files.write(header, SafetensorsBytes.withLength(100_000_000L, kilobyte, new byte[0]));
        Path shape = dir.resolve("shape-claim.safetensors");
        Files.write(shape, SafetensorsBytes.of("{" + entry("layers.1.mu", "F32", "[1048576,1048576]", 0,
                4398046511104L) + "}", 16));
        for (Path p : new Path[] {header, shape}) {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                long before = allocatedBytes();
                ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(p));
                long allocated = allocatedBytes() - before;
                assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
                assertTrue(allocated < SMALL, p.getFileName() + ": rejecting it allocated " + allocated + " bytes");
            });
        }
    }

    @Test
    void aRealMultiMegabyteHeaderFromDiskStaysWithinTheHeap(@TempDir Path dir) throws Exception {
        // a 4 MB header holding two million values: over the value limit, rejected without running out of heap
        String shape = "[" + "1,".repeat(2_000_000) + "1]";
        Path p = dir.resolve("big-header.safetensors");
        Files.write(p, SafetensorsBytes.of("{" + entry("w", "U8", shape, 0, 1) + "}", 1));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(p));
            assertTrue(e.getMessage().contains("more than 1000000 values"), e.getMessage());
        });
        byte[] wide = ("{\"__metadata__\":{\"a\":\"" + "\u00e9".repeat(10_000_000) + "\"}}").getBytes(StandardCharsets.UTF_8);
        Files.write(p, SafetensorsBytes.raw(wide, new byte[0]));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(p));
            assertTrue(e.getMessage().contains("no uGMM layers"), e.getMessage());
        });
    }
}
