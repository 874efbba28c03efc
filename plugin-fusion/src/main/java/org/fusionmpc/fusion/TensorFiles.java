package org.fusionmpc.fusion;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads the array files labelled sets come in: IDX (LeCun's MNIST layout, any number of dimensions and any of its
 * element types, optionally gzipped) and NumPy's {@code .npy} and {@code .npz} (as {@code np.save}, {@code np.savez}
 * and {@code np.savez_compressed} write them). Every header is checked against the bytes that follow, so a truncated
 * or inconsistent file is an error naming the file, never a short or shifted array.
 */
final class TensorFiles {

    /** A dense array: {@code shape[0]} rows of the remaining dimensions, row-major; {@code unsignedBytes} if stored as uint8. */
    record Tensor(int[] shape, double[] values, boolean unsignedBytes) {
        int rows() {
            return shape.length == 0 ? 1 : shape[0];
        }

        int[] rowShape() {
            return shape.length == 0 ? new int[0] : Arrays.copyOfRange(shape, 1, shape.length);
        }
    }

    /** Largest array read: 2^28 values (2 GB of doubles); a check set never needs more. */
    static final long MAX_VALUES = 1L << 28;

    private TensorFiles() {
    }

    static Tensor readIdx(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw)) : raw;
            return readIdx(file.toString(), new DataInputStream(in));
        }
    }

    private static Tensor readIdx(String name, DataInputStream in) throws IOException {
        try {
            int magic = in.readInt();
            int type = (magic >> 8) & 0xff;
            int dims = magic & 0xff;
            if ((magic >>> 16) != 0 || dims < 1 || dims > 8) {
                throw new IOException(name + ": not an IDX file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int width = switch (type) {
                case 0x08, 0x09 -> 1;
                case 0x0B -> 2;
                case 0x0C, 0x0D -> 4;
                case 0x0E -> 8;
                default -> throw new IOException(name + ": IDX element type 0x" + Integer.toHexString(type) + " is not one of 08, 09, 0B, 0C, 0D, 0E");
            };
            int[] shape = new int[dims];
            for (int d = 0; d < dims; d++) {
                shape[d] = in.readInt();
            }
            long count = count(name, shape);
            byte[] bytes = new byte[Math.toIntExact(count * width)];
            in.readFully(bytes);
            if (in.read() >= 0) {
                throw new IOException(name + ": bytes left after the " + count + " values its IDX header " + Arrays.toString(shape) + " announces");
            }
            char kind = switch (type) {
                case 0x08 -> 'u';
                case 0x0D, 0x0E -> 'f';
                default -> 'i';
            };
            return new Tensor(shape, decode(ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN), kind, width, (int) count), type == 0x08);
        } catch (EOFException e) {
            throw new IOException(name + ": the IDX file is truncated", e);
        }
    }

    static Tensor readNpy(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return readNpy(file.toString(), in);
        }
    }

    /** Every array of an {@code .npz}, by its name without {@code .npy}, in the archive's order. */
    static Map<String, Tensor> readNpz(Path file) throws IOException {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String key = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                arrays.put(key, readNpy(file + "[" + key + "]", zip));
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not a readable .npz archive (" + e.getMessage() + ")", e);
        }
        if (arrays.isEmpty()) {
            throw new IOException(file + ": not an .npz archive, or an empty one");
        }
        return arrays;
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([uifb])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private static Tensor readNpy(String name, InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        try {
            byte[] magic = new byte[8];
            d.readFully(magic);
            if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
                throw new IOException(name + ": not a .npy array (no \\x93NUMPY magic)");
            }
            int major = magic[6];
            int headerLength = major == 1 ? Short.toUnsignedInt(Short.reverseBytes(d.readShort())) : Integer.reverseBytes(d.readInt());
            if (major < 1 || major > 3 || headerLength < 0 || headerLength > 1 << 20) {
                throw new IOException(name + ": .npy version " + major + " with a header of " + headerLength + " bytes is not read");
            }
            byte[] h = new byte[headerLength];
            d.readFully(h);
            String header = new String(h, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher descr = DESCR.matcher(header);
            Matcher fortran = FORTRAN.matcher(header);
            Matcher shapeText = SHAPE.matcher(header);
            if (!descr.find() || !fortran.find() || !shapeText.find()) {
                throw new IOException(name + ": a .npy header without a numeric 'descr', 'fortran_order' and 'shape': " + header.strip()
                        + " (object, string and structured arrays are not read; save a plain numeric array)");
            }
            if (fortran.group(1).equals("True")) {
                throw new IOException(name + ": the array is in Fortran (column-major) order; save np.ascontiguousarray(x) instead");
            }
            char kind = descr.group(2).charAt(0);
            int width = Integer.parseInt(descr.group(3));
            boolean known = switch (kind) {
                case 'u', 'i' -> width == 1 || width == 2 || width == 4 || width == 8;
                case 'f' -> width == 2 || width == 4 || width == 8;
                case 'b' -> width == 1;
                default -> false;
            };
            if (!known) {
                throw new IOException(name + ": dtype " + descr.group(0).split(":")[1].strip() + " is not read (integers, floats and bools are)");
            }
            String[] dims = shapeText.group(1).split(",");
            int[] shape = Arrays.stream(dims).map(String::strip).filter(s -> !s.isEmpty()).mapToInt(s -> {
                try {
                    return Integer.parseInt(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }).toArray();
            long count = count(name, shape);
            byte[] bytes = new byte[Math.toIntExact(count * width)];
            d.readFully(bytes);
            ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            return new Tensor(shape, decode(ByteBuffer.wrap(bytes).order(order), kind == 'b' ? 'u' : kind, width, (int) count),
                    kind == 'u' && width == 1);
        } catch (EOFException e) {
            throw new IOException(name + ": the .npy array is truncated", e);
        }
    }

    private static long count(String name, int[] shape) throws IOException {
        long count = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IOException(name + ": a negative or unreadable dimension in shape " + Arrays.toString(shape));
            }
            count *= s;
            if (count > MAX_VALUES) {
                throw new IOException(name + ": shape " + Arrays.toString(shape) + " holds more than " + MAX_VALUES + " values, more than a check set needs");
            }
        }
        return count;
    }

    private static double[] decode(ByteBuffer b, char kind, int width, int count) throws IOException {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = switch (width) {
                case 1 -> kind == 'u' ? b.get() & 0xff : b.get();
                case 2 -> kind == 'f' ? half(b.getShort()) : kind == 'u' ? b.getShort() & 0xffff : b.getShort();
                case 4 -> kind == 'f' ? b.getFloat() : kind == 'u' ? b.getInt() & 0xffffffffL : b.getInt();
                default -> kind == 'f' ? b.getDouble() : b.getLong();
            };
        }
        return v;
    }

    /** IEEE 754 binary16 (NumPy's float16; {@code Float.float16ToFloat} is Java 20+). */
    static double half(short h) {
        int sign = (h >> 15) & 1;
        int exp = (h >> 10) & 0x1f;
        int frac = h & 0x3ff;
        double m = exp == 0 ? Math.scalb((double) frac, -24) : exp == 31 ? (frac == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                : Math.scalb(1024.0 + frac, exp - 25);
        return sign == 1 ? -m : m;
    }
}
