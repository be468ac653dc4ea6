package io.ugmm.model.io;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cheap, deterministic complement to the Jazzer fuzz test that runs in every build: many seeded random
 * mutations of the seed corpus (bit flips, interesting bytes and numbers, cuts, splices, lying length
 * prefixes), each checked with the same property as {@link SafetensorsReaderFuzzTest#fuzzReader}.
 */
class SafetensorsReaderMutationTest {
    private static final int MUTANTS = 30_000;
    private static final byte[][] TOKENS = {"0".getBytes(), "-1".getBytes(), "1e400".getBytes(),
            "18446744073709551615".getBytes(), "4294967296".getBytes(), "[]".getBytes(), "{}".getBytes(),
            "null".getBytes(), "\"F16\"".getBytes(), "\"BF16\"".getBytes(), "\"F64\"".getBytes(),
            "\"layers.1.prev_layer.mu\"".getBytes(), "\\ud800".getBytes(), "\u00e9".getBytes(StandardCharsets.UTF_8),
            "\"__metadata__\"".getBytes(), ",".getBytes(), "[1099511627776,1099511627776]".getBytes()};

    @Test
    void mutatedSeedsOnlyEverFailWithModelFileException() throws Exception {
        List<byte[]> seeds = seeds();
        assertTrue(seeds.size() >= 10, "the seed corpus is missing");
        SafetensorsReaderFuzzTest target = new SafetensorsReaderFuzzTest();
        SplittableRandom random = new SplittableRandom(20250907);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < MUTANTS; i++) {
                byte[] mutant = seeds.get(random.nextInt(seeds.size()));
                int rounds = 1 + random.nextInt(4);
                for (int r = 0; r < rounds; r++) {
                    mutant = mutate(mutant, random);
                }
                try {
                    target.fuzzReader(mutant);
                } catch (Throwable t) {
                    throw new AssertionError("mutant " + i + " (" + java.util.HexFormat.of().formatHex(mutant)
                            + ") broke the reader", t);
                }
            }
        });
    }

    static byte[] mutate(byte[] in, SplittableRandom random) {
        if (in.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        byte[] b = in.clone();
        int at = random.nextInt(b.length);
        switch (random.nextInt(8)) {
            case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[at] = (byte) new int[] {0, 0x20, 0x22, 0x2c, 0x30, 0x39, 0x5b, 0x5d, 0x7b, 0x7d, 0x7f, 0x80,
                    0xc0, 0xed, 0xf4, 0xff}[random.nextInt(16)];
            case 2 -> {
                return java.util.Arrays.copyOf(b, at); // truncate
            }
            case 3 -> {
                return splice(b, at, at + random.nextInt(Math.min(16, b.length - at) + 1), new byte[0]); // delete
            }
            case 4 -> {
                return splice(b, at, at, TOKENS[random.nextInt(TOKENS.length)]); // insert a token
            }
            case 5 -> { // replace a number in the header with another number
                return splice(b, at, at + Math.min(b.length - at, 1 + random.nextInt(3)),
                        Long.toString(random.nextLong(-10, 1L << 40)).getBytes());
            }
            case 6 -> { // a lying length prefix
                long length = random.nextBoolean() ? random.nextLong() : random.nextLong(0, b.length + 16L);
                if (b.length >= 8) {
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
                }
            }
            default -> { // duplicate a chunk
                int end = at + random.nextInt(Math.min(64, b.length - at) + 1);
                return splice(b, end, end, java.util.Arrays.copyOfRange(b, at, end));
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }

    private static List<byte[]> seeds() throws Exception {
        Path dir = Path.of(SafetensorsReaderMutationTest.class
                .getResource("SafetensorsReaderFuzzTestInputs/fuzzReader").toURI());
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }
}
