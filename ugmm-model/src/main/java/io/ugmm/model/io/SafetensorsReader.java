package io.ugmm.model.io;

import io.ugmm.model.internal.MessageText;
import io.ugmm.model.internal.Json;
import io.ugmm.model.internal.JsonException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads safetensors files, validating them as strictly as the format's reference reader, and a little more.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8 JSON (which
 * may end in padding spaces) mapping each tensor name to {@code {"dtype", "shape", "data_offsets":
 * [begin, end]}}, plus an optional {@code "__metadata__"} string-to-string map; then the data section,
 * to which the offsets are relative.
 *
 * <p>Rejected, each with a {@link ModelFileException} naming the file, the tensor and the rule:
 * <ul>
 *   <li>a file shorter than 8 bytes; a header length over {@value #MAX_HEADER_BYTES} bytes or past the end
 *       of the file; a header that does not start with '{', is not valid UTF-8, or is not valid JSON
 *       (see {@link Json}: duplicate keys, and so duplicate tensor names, are refused; depth is limited to
 *       {@value Json#DEFAULT_MAX_DEPTH} and the value count to {@value Json#DEFAULT_MAX_VALUES});</li>
 *   <li>{@code __metadata__} that is not an object of strings;</li>
 *   <li>a tensor entry that is not an object with exactly the keys dtype, shape and data_offsets;
 *       an unknown dtype ({@link DType}); a shape that is not a list of non-negative integers;
 *       data_offsets that are not two non-negative integers with begin &lt;= end;</li>
 *   <li>a shape whose byte size (computed with overflow checks) differs from {@code end - begin};</li>
 *   <li>offsets past the data section, overlapping tensors, gaps between tensors, or trailing bytes after
 *       the last tensor: tensors must tile the data section exactly;</li>
 *   <li>a single tensor of 2 GiB or more (a limit of this reader, not of the format).</li>
 * </ul>
 *
 * <p>Memory: nothing is allocated from a size the file claims until that size has been checked against the
 * file's real length, so reading never needs much more memory than the file's size, whatever the header says.
 */
public final class SafetensorsReader {
    /** The reference reader's limit on the JSON header, in bytes. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    private SafetensorsReader() {
    }

    /** A safetensors header length is small; eight printable bytes mean a text file (a CSV, a JSON...). */
    private static String notSafetensorsHint(byte[] prefix) {
        for (byte b : prefix) {
            if (b < 0x09 || b > 0x7e) {
                return "";
            }
        }
        return " (the file starts with text: not a safetensors file?)";
    }

    /**
     * Reads and validates a whole file. Every failure, including a missing or unreadable file, is a
     * {@link ModelFileException} whose message starts with {@code file.toString()}.
     */
    public static SafetensorsFile read(Path file) throws ModelFileException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new ModelFileException(source, null, "is a directory, not a safetensors file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new ChannelSource(channel), source);
        } catch (ModelFileException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new ModelFileException(source, null, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new ModelFileException(source, null, "permission denied", e);
        } catch (EOFException e) {
            throw new ModelFileException(source, null, "the file ended early (was it changed while being read?)", e);
        } catch (IOException e) {
            throw new ModelFileException(source, null, "cannot read: " + e, e);
        }
    }

    /**
     * Reads and validates safetensors bytes held in memory; {@code source} names them in error messages.
     * Any byte array either reads or fails with a {@link ModelFileException}; nothing else is thrown.
     */
    public static SafetensorsFile read(byte[] bytes, String source) throws ModelFileException {
        try {
            return read(new ArraySource(bytes), source);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) { // cannot happen for an array, which does not change under us
            throw new ModelFileException(source, null, "cannot read: " + e, e);
        }
    }

    private static SafetensorsFile read(Source in, String source) throws IOException {
        Rules rules = new Rules(source);
        long size = in.size();
        if (size < 8) {
            throw rules.fail(null, "the file is " + size + " bytes, too short for the 8-byte header length");
        }
        byte[] prefix = new byte[8];
        in.read(0, prefix);
        long headerLength = ByteBuffer.wrap(prefix).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        // unsigned compare: a length with the top bit set is huge, not negative
        if (Long.compareUnsigned(headerLength, MAX_HEADER_BYTES) > 0) {
            throw rules.fail(null, "header length " + Long.toUnsignedString(headerLength)
                    + " bytes is over the limit of " + MAX_HEADER_BYTES + " bytes" + notSafetensorsHint(prefix));
        }
        if (headerLength > size - 8) {
            throw rules.fail(null, "header length " + headerLength + " bytes is more than the " + (size - 8)
                    + " bytes after the length prefix (truncated file?)");
        }
        byte[] header = new byte[(int) headerLength];
        in.read(8, header);
        long dataStart = 8 + headerLength;
        long dataLength = size - dataStart;
        Map<String, Object> json = rules.parseHeader(header);

        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            if (e.getKey().equals(SafetensorsFile.METADATA_KEY)) {
                metadata = rules.metadata(e.getValue());
            } else {
                entries.add(rules.entry(e.getKey(), e.getValue(), dataLength));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        rules.checkTiling(entries, dataLength);

        List<Tensor> tensors = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            // safe to allocate: the entries tile the data section, which exists in the file
            byte[] data = new byte[(int) (e.end - e.begin)];
            in.read(dataStart + e.begin, data);
            tensors.add(new Tensor(e.name, e.dtype, e.shape, data));
        }
        return new SafetensorsFile(source, metadata, tensors);
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        String offsets() {
            return "[" + begin + ", " + end + "]";
        }
    }

    /** The checks, each failing with a message naming the source, the tensor and the rule. */
    private static final class Rules {
        private final String source;

        Rules(String source) {
            this.source = source;
        }

        ModelFileException fail(String tensor, String detail) {
            return new ModelFileException(source, tensor, detail);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> parseHeader(byte[] header) throws ModelFileException {
            if (header.length == 0 || header[0] != '{') {
                throw fail(null, "the header does not start with '{'");
            }
            String text = decodeUtf8(header);
            try {
                // a value starting with '{' that parses is an object
                return (Map<String, Object>) Json.parse(text, Json.DEFAULT_MAX_DEPTH, Json.DEFAULT_MAX_VALUES);
            } catch (JsonException e) {
                throw fail(null, "the header is not valid JSON: " + e.getMessage());
            }
        }

        private String decodeUtf8(byte[] header) throws ModelFileException {
            int bad = firstInvalidUtf8(header);
            if (bad >= 0) {
                throw fail(null, "the header is not valid UTF-8 (bad byte sequence at byte " + bad + " of the header)");
            }
            // validated first, so the JDK's fast decoder (no intermediate char[]) cannot substitute anything
            return new String(header, StandardCharsets.UTF_8);
        }

        Map<String, String> metadata(Object value) throws ModelFileException {
            if (!(value instanceof Map<?, ?> map)) {
                throw fail(null, "__metadata__ must be an object mapping strings to strings, found " + kind(value));
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getValue() instanceof String s)) {
                    throw fail(null, "__metadata__ must map strings to strings, but "
                            + MessageText.quote((String) e.getKey()) + " is " + kind(e.getValue()));
                }
                out.put((String) e.getKey(), s);
            }
            return out;
        }

        Entry entry(String name, Object value, long dataLength) throws ModelFileException {
            if (!(value instanceof Map<?, ?> map)) {
                throw fail(name, "must be an object with dtype, shape and data_offsets, found " + kind(value));
            }
            for (Object key : map.keySet()) {
                if (!ENTRY_KEYS.contains(key)) {
                    throw fail(name, "unknown key " + MessageText.quote((String) key)
                            + " (a tensor has exactly dtype, shape and data_offsets)");
                }
            }
            for (String key : List.of("dtype", "shape", "data_offsets")) {
                if (!map.containsKey(key)) {
                    throw fail(name, "missing " + key);
                }
            }
            DType dtype = dtype(name, map.get("dtype"));
            long[] shape = integers(name, "shape", map.get("shape"), -1);
            long[] offsets = integers(name, "data_offsets", map.get("data_offsets"), 2);
            long begin = offsets[0];
            long end = offsets[1];
            String offsetText = "data_offsets [" + begin + ", " + end + "]";
            if (end < begin) {
                throw fail(name, offsetText + " end before they begin");
            }
            long bytes = byteSize(name, dtype, shape);
            if (bytes != end - begin) {
                throw fail(name, offsetText + " span " + (end - begin) + " bytes but shape " + Tensor.shapeString(shape)
                        + " of " + dtype + " needs " + bytes);
            }
            if (end > dataLength) {
                throw fail(name, offsetText + " reach past the end of the " + dataLength + "-byte data section");
            }
            if (bytes > MAX_TENSOR_BYTES) {
                throw fail(name, "is " + bytes + " bytes; this reader supports tensors under 2 GiB");
            }
            return new Entry(name, dtype, shape, begin, end);
        }

        private DType dtype(String name, Object value) throws ModelFileException {
            if (!(value instanceof String s)) {
                throw fail(name, "dtype must be a string, found " + kind(value));
            }
            return DType.byName(s).orElseThrow(() -> fail(name, "unknown dtype " + MessageText.quote(s)
                    + "; known: " + DType.allNames()));
        }

        /** A list of non-negative integers; {@code length} < 0 means any length. */
        private long[] integers(String name, String key, Object value, int length) throws ModelFileException {
            String expected = length < 0 ? "a list of non-negative integers" : "a list of " + length
                    + " non-negative integers";
            if (!(value instanceof List<?> list)) {
                throw fail(name, key + " must be " + expected + ", found " + kind(value));
            }
            if (length >= 0 && list.size() != length) {
                throw fail(name, key + " must be " + expected + ", found " + list.size() + " values");
            }
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                Object v = list.get(i);
                if (!(v instanceof Long l) || l < 0) {
                    throw fail(name, key + " must be " + expected + ", found " + describe(v) + " at position " + i);
                }
                out[i] = l;
            }
            return out;
        }

        private long byteSize(String name, DType dtype, long[] shape) throws ModelFileException {
            long elements = 1;
            try {
                for (long d : shape) {
                    elements = Math.multiplyExact(elements, d);
                }
            } catch (ArithmeticException e) {
                throw fail(name, "shape " + Tensor.shapeString(shape) + " has more elements than fit in 64 bits");
            }
            try {
                return Math.multiplyExact(elements, dtype.byteSize());
            } catch (ArithmeticException e) {
                throw fail(name, "shape " + Tensor.shapeString(shape) + " of " + dtype
                        + " needs more bytes than fit in 64 bits");
            }
        }

        /** Entries sorted by offsets must follow each other with no gap or overlap and end at the data's end. */
        void checkTiling(List<Entry> sorted, long dataLength) throws ModelFileException {
            long covered = 0;
            Entry previous = null;
            for (Entry e : sorted) {
                if (e.begin > covered) {
                    throw fail(e.name, "data_offsets " + e.offsets() + " leave bytes [" + covered + ", " + e.begin
                            + ") of the data section unused; tensors must cover it with no gaps");
                }
                if (e.begin < covered) {
                    throw fail(e.name, "data_offsets " + e.offsets() + " overlap tensor "
                            + MessageText.quote(previous.name) + " at " + previous.offsets());
                }
                covered = e.end;
                previous = e;
            }
            if (covered != dataLength) {
                throw fail(null, "the data section has " + dataLength + " bytes but the tensors cover only the first "
                        + covered + " (" + (dataLength - covered) + " trailing bytes)");
            }
        }

        private static String kind(Object v) {
            if (v instanceof Map) {
                return "an object";
            }
            if (v instanceof List) {
                return "a list";
            }
            if (v instanceof String) {
                return "a string";
            }
            if (v instanceof Long || v instanceof Double) {
                return "a number";
            }
            if (v instanceof Boolean) {
                return "a boolean";
            }
            return "null";
        }

        private static String describe(Object v) {
            if (v instanceof Long || v instanceof Double || v instanceof Boolean) {
                return String.valueOf(v);
            }
            return kind(v);
        }
    }

    /**
     * Index of the first byte that starts an ill-formed UTF-8 sequence (RFC 3629: no overlong forms, no
     * surrogates, nothing above U+10FFFF), or -1 if all of {@code b} is well-formed.
     */
    static int firstInvalidUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int length;
            int min = 0x80; // allowed range of the second byte
            int max = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) {
                length = 2;
            } else if (c >= 0xe0 && c <= 0xef) {
                length = 3;
                if (c == 0xe0) {
                    min = 0xa0; // overlong below U+0800
                } else if (c == 0xed) {
                    max = 0x9f; // U+D800..U+DFFF are surrogates
                }
            } else if (c >= 0xf0 && c <= 0xf4) {
                length = 4;
                if (c == 0xf0) {
                    min = 0x90; // overlong below U+10000
                } else if (c == 0xf4) {
                    max = 0x8f; // above U+10FFFF
                }
            } else {
                return i; // a continuation byte, an overlong lead (C0, C1) or F5..FF
            }
            if (i + length > b.length) {
                return i;
            }
            int second = b[i + 1] & 0xff;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((b[i + k] & 0xc0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }

    /** Random access to the file's bytes. */
    private interface Source {
        long size() throws IOException;

        /** Fills {@code dst} from {@code position}, or throws {@link EOFException}. */
        void read(long position, byte[] dst) throws IOException;
    }

    private record ArraySource(byte[] bytes) implements Source {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void read(long position, byte[] dst) throws EOFException {
            if (position + dst.length > bytes.length) {
                throw new EOFException();
            }
            System.arraycopy(bytes, (int) position, dst, 0, dst.length);
        }
    }

    private record ChannelSource(FileChannel channel) implements Source {
        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void read(long position, byte[] dst) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(dst);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new EOFException();
                }
            }
        }
    }
}
