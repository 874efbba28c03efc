package org.fusionmpc.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public-set readers against the values written: IDX (any dimensions, gzipped), .npy (uint8, float32 big- and
 * little-endian, int64 labels), .npz (stored and deflated), image folders (labels.csv and per-label subdirectories,
 * grey and colour), and every malformed or mismatched set refused with a message that says what to change.
 */
class LabelledSetTest {

    static final int N = 7;
    static final int[] SHAPE = {3, 4, 5};
    static final int SIZE = 60;

    /** Pixel bytes and labels of a small random colour set. */
    static byte[][] pixels() {
        SplittableRandom r = new SplittableRandom(3);
        byte[][] p = new byte[N][SIZE];
        for (byte[] row : p) {
            for (int i = 0; i < SIZE; i++) {
                row[i] = (byte) r.nextInt(256);
            }
        }
        p[0][0] = 0;
        p[0][1] = (byte) 255;
        return p;
    }

    static final int[] LABELS = {0, 9, 3, 3, 1, 7, 2};

    static void assertPixels(LabelledSet set, byte[][] p) {
        assertEquals(N, set.size());
        assertArrayEquals(SHAPE, set.shape());
        for (int i = 0; i < N; i++) {
            assertEquals(LABELS[i], set.label(i));
            for (int k = 0; k < SIZE; k++) {
                assertEquals((p[i][k] & 0xff) / 255.0, set.sample(i)[k], 0, "sample " + i + " value " + k);
            }
        }
        assertEquals(InputGrid.EIGHT_BIT, set.grid());
    }

    static byte[] idx(int type, int[] dims, byte[] body) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt((type << 8) | dims.length);
        for (int x : dims) {
            d.writeInt(x);
        }
        d.write(body);
        return b.toByteArray();
    }

    static byte[] npy(String descr, int[] shape, byte[] body) {
        String dims = shape.length == 1 ? shape[0] + "," : String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList());
        StringBuilder h = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }");
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) h.length());
        b.put(h.toString().getBytes(StandardCharsets.US_ASCII)).put(body);
        return b.array();
    }

    static byte[] flat(byte[][] p) {
        byte[] out = new byte[N * SIZE];
        for (int i = 0; i < N; i++) {
            System.arraycopy(p[i], 0, out, i * SIZE, SIZE);
        }
        return out;
    }

    static byte[] labelsInt64() {
        ByteBuffer b = ByteBuffer.allocate(8 * N).order(ByteOrder.LITTLE_ENDIAN);
        for (int l : LABELS) {
            b.putLong(l);
        }
        return b.array();
    }

    static int[] withN(int... dims) {
        int[] s = new int[dims.length + 1];
        s[0] = N;
        System.arraycopy(dims, 0, s, 1, dims.length);
        return s;
    }

    @Test
    void idxOfAnyDimensionsGzippedOrNot(@TempDir Path dir) throws IOException {
        byte[][] p = pixels();
        byte[] labels = new byte[N];
        for (int i = 0; i < N; i++) {
            labels[i] = (byte) LABELS[i];
        }
        Files.write(dir.resolve("x.idx"), idx(0x08, withN(SHAPE), flat(p)));
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("y.idx.gz")))) {
            o.write(idx(0x08, new int[] {N}, labels));
        }
        assertPixels(LabelledSet.read(dir.resolve("x.idx") + "," + dir.resolve("y.idx.gz"), null), p);
        // Truncated by one byte, and one byte too many: both refused, naming the file.
        byte[] full = idx(0x08, withN(SHAPE), flat(p));
        Files.write(dir.resolve("short.idx"), Arrays.copyOf(full, full.length - 1));
        Files.write(dir.resolve("long.idx"), Arrays.copyOf(full, full.length + 1));
        assertTrue(refusal(dir.resolve("short.idx") + "," + dir.resolve("y.idx.gz")).contains("truncated"));
        assertTrue(refusal(dir.resolve("long.idx") + "," + dir.resolve("y.idx.gz")).contains("bytes left"));
    }

    @Test
    void npyPairsInUint8AndFloat32OfEitherByteOrder(@TempDir Path dir) throws IOException {
        byte[][] p = pixels();
        Files.write(dir.resolve("x.npy"), npy("|u1", withN(SHAPE), flat(p)));
        Files.write(dir.resolve("y.npy"), npy("<i8", new int[] {N}, labelsInt64()));
        assertPixels(LabelledSet.read(dir.resolve("x.npy") + "," + dir.resolve("y.npy"), null), p);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteBuffer f = ByteBuffer.allocate(4 * N * SIZE).order(order);
            for (byte[] row : p) {
                for (byte v : row) {
                    f.putFloat((v & 0xff) / 255f);
                }
            }
            Files.write(dir.resolve("f.npy"), npy(order == ByteOrder.BIG_ENDIAN ? ">f4" : "<f4", withN(SHAPE), f.array()));
            LabelledSet set = LabelledSet.read(dir.resolve("f.npy") + "," + dir.resolve("y.npy"), null);
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < SIZE; k++) {
                    assertEquals((p[i][k] & 0xff) / 255.0, set.sample(i)[k], 1e-7);
                }
            }
            assertEquals(InputGrid.EIGHT_BIT, set.grid(), "float32 copies of 8-bit values are on the 8-bit grid");
        }
    }

    @Test
    void npzStoredOrDeflatedWithTheUsualNames(@TempDir Path dir) throws IOException {
        byte[][] p = pixels();
        for (boolean deflate : new boolean[] {false, true}) {
            for (String[] names : new String[][] {{"x", "y"}, {"x_test", "y_test"}, {"a", "b"}}) {
                Path f = dir.resolve("set-" + deflate + names[0] + ".npz");
                try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
                    z.setMethod(ZipOutputStream.DEFLATED);
                    z.setLevel(deflate ? 6 : 0);
                    z.putNextEntry(new ZipEntry(names[1] + ".npy")); // labels first: the reader must tell them apart
                    z.write(npy("<i8", new int[] {N}, labelsInt64()));
                    z.putNextEntry(new ZipEntry(names[0] + ".npy"));
                    z.write(npy("|u1", withN(SHAPE), flat(p)));
                }
                assertPixels(LabelledSet.read(f.toString(), null), p);
            }
        }
    }

    @Test
    void imageFoldersWithACsvOrOneSubdirectoryPerLabel(@TempDir Path dir) throws IOException {
        byte[][] p = pixels();
        Path csvDir = Files.createDirectories(dir.resolve("csv"));
        StringBuilder csv = new StringBuilder("file,label\n");
        for (int i = 0; i < N; i++) {
            BufferedImage img = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    int at = y * 5 + x;
                    img.setRGB(x, y, (p[i][at] & 0xff) << 16 | (p[i][20 + at] & 0xff) << 8 | (p[i][40 + at] & 0xff));
                }
            }
            ImageIO.write(img, "png", csvDir.resolve("img" + i + ".png").toFile());
            csv.append("img").append(i).append(".png,").append(LABELS[i]).append('\n');
            Path sub = Files.createDirectories(dir.resolve("folders").resolve(Integer.toString(LABELS[i])));
            Files.copy(csvDir.resolve("img" + i + ".png"), sub.resolve("img" + i + ".png"));
        }
        Files.writeString(csvDir.resolve("labels.csv"), csv);
        assertPixels(LabelledSet.read(csvDir.toString(), null), p);
        assertPixels(LabelledSet.read(csvDir.toString(), new int[] {3, 4, 5}), p);
        LabelledSet folders = LabelledSet.read(dir.resolve("folders").toString(), null);
        assertEquals(N, folders.size());
        int[] sorted = LABELS.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, java.util.stream.IntStream.range(0, N).map(folders::label).toArray());
        // Read for a grey model: (R+G+B)/3 of each pixel.
        LabelledSet grey = LabelledSet.read(csvDir.toString(), new int[] {1, 4, 5});
        assertEquals(((p[0][0] & 0xff) + (p[0][20] & 0xff) + (p[0][40] & 0xff)) / 765.0, grey.sample(0)[0], 1e-12);
        // The wrong size for the model, a label that is not a number, a file that is not there.
        assertTrue(refusal(csvDir.toString(), new int[] {3, 32, 32}).contains("the model takes 32x32"));
        Files.writeString(csvDir.resolve("labels.csv"), csv + "img0.png,cat\n");
        assertTrue(refusal(csvDir.toString(), null).contains("label 'cat' is not a class index"));
        Files.writeString(csvDir.resolve("labels.csv"), csv + "../escape.png,1\n");
        assertTrue(refusal(csvDir.toString(), null).contains("no image file ../escape.png"));
    }

    @Test
    void malformedOrMismatchedSetsAreRefusedWithWhatToChange(@TempDir Path dir) throws IOException {
        byte[][] p = pixels();
        Path y = dir.resolve("y.npy");
        Files.write(y, npy("<i8", new int[] {N}, labelsInt64()));
        byte[] x = npy("|u1", withN(SHAPE), flat(p));
        Files.write(dir.resolve("short.npy"), Arrays.copyOf(x, x.length - 3));
        assertTrue(refusal(dir.resolve("short.npy") + "," + y).contains("truncated"));
        Files.write(dir.resolve("fortran.npy"), new String(x, StandardCharsets.ISO_8859_1).replace("False", "True ")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(refusal(dir.resolve("fortran.npy") + "," + y).contains("np.ascontiguousarray"));
        Files.write(dir.resolve("obj.npy"), npy("|O", withN(SHAPE), flat(p)));
        assertTrue(refusal(dir.resolve("obj.npy") + "," + y).contains("numeric"));
        Files.write(dir.resolve("x.npy"), x);
        Files.write(dir.resolve("y6.npy"), npy("<i8", new int[] {N - 1}, Arrays.copyOf(labelsInt64(), 8 * (N - 1))));
        assertTrue(refusal(dir.resolve("x.npy") + "," + dir.resolve("y6.npy")).contains(".npy headers disagree: " + N + " images but " + (N - 1) + " labels"));
        Files.write(dir.resolve("onehot.npy"), npy("|u1", new int[] {N, 10}, new byte[10 * N]));
        assertTrue(refusal(dir.resolve("x.npy") + "," + dir.resolve("onehot.npy")).contains("argmax"));
        ByteBuffer half = ByteBuffer.allocate(4 * N).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < N; i++) {
            half.putFloat(i == 2 ? 2.5f : 1f);
        }
        Files.write(dir.resolve("frac.npy"), npy("<f4", new int[] {N}, half.array()));
        assertTrue(refusal(dir.resolve("x.npy") + "," + dir.resolve("frac.npy")).contains("label 2 is 2.5"));
        assertTrue(refusal("nothing-here.bin").contains("X.npy,Y.npy"));

        LabelledSet set = LabelledSet.read(dir.resolve("x.npy") + "," + y, null);
        set.checkFits(new int[] {3, 4, 5}, 10);
        set.checkFits(new int[] {1, 3, 4, 5}, 10);
        String channelsLast = assertThrows(IllegalArgumentException.class, () -> set.checkFits(new int[] {5, 3, 4}, 10)).getMessage();
        assertTrue(channelsLast.contains("channels-last") && channelsLast.contains("np.transpose"), channelsLast);
        String size = assertThrows(IllegalArgumentException.class, () -> set.checkFits(new int[] {1, 28, 28}, 10)).getMessage();
        assertTrue(size.contains("[3, 4, 5]") && size.contains("[1, 28, 28]"), size);
        String classes = assertThrows(IllegalArgumentException.class, () -> set.checkFits(SHAPE, 5)).getMessage();
        assertTrue(classes.contains("label 9") && classes.contains("5 classes"), classes);
    }

    @Test
    void floatDataOffTheEightBitGridGetsAFineGridOverItsRange() {
        double[][] x = {{-1.5, 0.25}, {2.0, 0.3}};
        LabelledSet set = LabelledSet.of("t", new int[] {2}, x, new int[] {0, 1});
        assertEquals(-1.5, set.grid().lo());
        assertEquals(2.0, set.grid().hi());
        double[] q = set.grid().onGrid(new double[] {0.1234567, 2.0}, "query");
        assertEquals(0.1234567, q[0], 3.5 / InputGrid.FINE_LEVELS);
        assertEquals(2.0, q[1], 1e-12);
        String out = assertThrows(IllegalArgumentException.class, () -> set.grid().onGrid(new double[] {2.5, 0}, "query 0")).getMessage();
        assertTrue(out.contains("query 0") && out.contains("range of the check set"), out);
    }

    static String refusal(String spec) {
        return refusal(spec, null);
    }

    static String refusal(String spec, int[] chw) {
        Exception e = assertThrows(Exception.class, () -> LabelledSet.read(spec, chw), spec);
        assertTrue(e instanceof IllegalArgumentException || e instanceof IOException, e.toString());
        return e.getMessage();
    }
}
