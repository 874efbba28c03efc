package org.fusionmpc.fusion;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fusionmpc.fusion.TensorFiles.Tensor;

/**
 * A labelled set of inputs of one shape: the check samples a Fusion client mixes among its queries. Read from IDX
 * (any dimensions), NumPy {@code .npy} pairs or {@code .npz}, or a folder of images (labels in a CSV, or one
 * subdirectory per label as PyTorch's {@code ImageFolder}), each checked: one label per sample, labels non-negative
 * integers, values finite. 8-bit data (uint8 arrays, images) is scaled to [0, 1]; floats are taken as they are.
 *
 * <p>The set fixes the shape and the value grid ({@link InputGrid}) of every query it is mixed with; {@link #checkFits}
 * tests it against a model's input shape and class count before anything is sent.
 */
public final class LabelledSet {

    private final String source;
    private final int[] shape;
    private final double[][] samples;
    private final int[] labels;
    private final InputGrid grid;

    private LabelledSet(String source, int[] shape, double[][] samples, int[] labels, InputGrid grid) {
        this.source = source;
        this.shape = shape;
        this.samples = samples;
        this.labels = labels;
        this.grid = grid;
    }

    /** Samples of {@code shape} (flattened row-major) with their labels; {@code source} names them in errors. */
    public static LabelledSet of(String source, int[] shape, double[][] samples, int[] labels) {
        int size = size(shape);
        if (samples.length != labels.length) {
            throw new IllegalArgumentException(source + ": " + samples.length + " samples but " + labels.length + " labels");
        }
        if (samples.length == 0) {
            throw new IllegalArgumentException(source + ": no samples");
        }
        double[][] copy = new double[samples.length][];
        for (int i = 0; i < samples.length; i++) {
            if (samples[i] == null || samples[i].length != size) {
                throw new IllegalArgumentException(source + ": sample " + i + " has " + (samples[i] == null ? "no" : samples[i].length)
                        + " values, the set's shape " + Arrays.toString(shape) + " has " + size);
            }
            for (int k = 0; k < size; k++) {
                if (!Double.isFinite(samples[i][k])) {
                    throw new IllegalArgumentException(source + ": sample " + i + " value " + k + " is " + samples[i][k]);
                }
            }
            if (labels[i] < 0) {
                throw new IllegalArgumentException(source + ": sample " + i + " has the negative label " + labels[i]);
            }
            copy[i] = samples[i].clone();
        }
        return new LabelledSet(source, shape.clone(), copy, labels.clone(), InputGrid.fitting(copy));
    }

    /**
     * The images of the backend's {@code Mnist.Dataset}: one channel of 28x28 each, or flat vectors if the dataset holds
     * samples of another length (a test's own small inputs).
     */
    public static LabelledSet fromMnist(org.fusionmpc.semihonest.Mnist.Dataset d) {
        int size = d.images().length == 0 || d.images()[0] == null ? 784 : d.images()[0].length;
        return of("MNIST", size == 784 ? new int[] {1, 28, 28} : new int[] {size}, d.images(), d.labels());
    }

    /**
     * Reads a set from files: {@code IMAGES.idx,LABELS.idx} (IDX, gzipped or not), {@code X.npy,Y.npy},
     * {@code SET.npz} (arrays named x/y, images/labels, data/labels, or x_test/y_test; or just two, samples and
     * labels), or a directory of images with a {@code labels.csv} ({@code file,label} lines, a header line allowed) or
     * one subdirectory per label. {@code chw} is the model's input shape when known (then images are read with its
     * channels and size), or null (then from the first image).
     */
    public static LabelledSet read(String spec, int[] chw) throws IOException {
        String s = spec.strip();
        Path path = Path.of(s);
        if (Files.isDirectory(path)) {
            return imageFolder(path, chw);
        }
        String[] parts = s.split(",");
        if (parts.length == 2) {
            Path a = Path.of(parts[0].strip());
            Path b = Path.of(parts[1].strip());
            boolean npy = a.toString().endsWith(".npy");
            Tensor x = npy ? TensorFiles.readNpy(a) : TensorFiles.readIdx(a);
            Tensor y = npy ? TensorFiles.readNpy(b) : TensorFiles.readIdx(b);
            return fromArrays(s, npy ? ".npy" : "IDX", x, y);
        }
        if (parts.length == 1 && s.endsWith(".npz")) {
            return fromNpz(path);
        }
        throw new IllegalArgumentException("a labelled set is IMAGES.idx,LABELS.idx, X.npy,Y.npy, SET.npz or a directory of images"
                + " (with labels.csv, or one subdirectory per label); got '" + spec + "'");
    }

    private static final String[][] NPZ_NAMES = {{"x", "y"}, {"X", "Y"}, {"images", "labels"}, {"data", "labels"}, {"x_test", "y_test"},
        {"inputs", "labels"}, {"samples", "labels"}};

    private static LabelledSet fromNpz(Path file) throws IOException {
        Map<String, Tensor> arrays = TensorFiles.readNpz(file);
        for (String[] names : NPZ_NAMES) {
            if (arrays.containsKey(names[0]) && arrays.containsKey(names[1])) {
                return fromArrays(file + "[" + names[0] + "," + names[1] + "]", ".npz", arrays.get(names[0]), arrays.get(names[1]));
            }
        }
        if (arrays.size() == 2) {
            List<String> keys = new ArrayList<>(arrays.keySet());
            Tensor a = arrays.get(keys.get(0));
            Tensor b = arrays.get(keys.get(1));
            boolean aLabels = a.shape().length == 1 && b.shape().length > 1;
            return aLabels ? fromArrays(file.toString(), ".npz", b, a) : fromArrays(file.toString(), ".npz", a, b);
        }
        throw new IllegalArgumentException(file + ": cannot tell samples from labels among the arrays " + arrays.keySet()
                + "; name them x and y (np.savez(f, x=images, y=labels))");
    }

    /** Samples and labels from two arrays of a file; contents that do not make a labelled set are an IOException, as a bad file is. */
    private static LabelledSet fromArrays(String source, String format, Tensor x, Tensor y) throws IOException {
        if (x.shape().length < 2) {
            throw new IOException(source + ": the samples array has shape " + Arrays.toString(x.shape())
                    + "; it needs one row per sample (N, ...)");
        }
        int[] yShape = y.shape();
        if (!(yShape.length == 1 || yShape.length == 2 && yShape[1] == 1)) {
            throw new IOException(source + ": the labels array has shape " + Arrays.toString(yShape)
                    + "; it must be one class index per sample (N,) (one-hot labels: save labels.argmax(axis=1))");
        }
        if (y.rows() != x.rows()) {
            throw new IOException(source + ": " + format + " headers disagree: " + x.rows() + " images but " + y.rows() + " labels");
        }
        int n = x.rows();
        int[] shape = x.rowShape();
        int size = size(shape);
        double scale = x.unsignedBytes() ? 255.0 : 1; // divided, so 8-bit values are exactly k/255 as in the images' reader
        double[][] samples = new double[n][size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < size; k++) {
                samples[i][k] = x.values()[i * size + k] / scale;
            }
            double v = y.values()[i];
            if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
                throw new IOException(source + ": label " + i + " is " + v + "; labels must be class indices 0, 1, ...");
            }
            labels[i] = (int) v;
        }
        return of(source, shape, samples, labels);
    }

    private static LabelledSet imageFolder(Path dir, int[] chw) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Path csv = dir.resolve("labels.csv");
        if (Files.isRegularFile(csv)) {
            try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                String line;
                for (int n = 1; (line = r.readLine()) != null; n++) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String[] cols = line.split(",");
                    if (cols.length != 2) {
                        throw new IllegalArgumentException(csv + " line " + n + ": expected file,label, got '" + line + "'");
                    }
                    int label;
                    try {
                        label = Integer.parseInt(cols[1].strip());
                    } catch (NumberFormatException e) {
                        if (files.isEmpty() && n == 1) {
                            continue; // a header line
                        }
                        throw new IllegalArgumentException(csv + " line " + n + ": label '" + cols[1].strip() + "' is not a class index");
                    }
                    if (label < 0) {
                        throw new IllegalArgumentException(csv + " line " + n + ": negative label " + label);
                    }
                    Path f = dir.resolve(cols[0].strip()).normalize();
                    if (!f.startsWith(dir.normalize()) || !Files.isRegularFile(f)) {
                        throw new IllegalArgumentException(csv + " line " + n + ": no image file " + cols[0].strip() + " in " + dir);
                    }
                    files.add(f);
                    labels.add(label);
                }
            }
        } else {
            try (var classes = Files.list(dir)) {
                for (Path sub : classes.sorted().toList()) {
                    if (!Files.isDirectory(sub)) {
                        continue;
                    }
                    int label;
                    try {
                        label = Integer.parseInt(sub.getFileName().toString());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("check set " + dir + ": subdirectory " + sub.getFileName()
                                + " is not a label (0, 1, ...); or list file,label lines in " + csv.getFileName());
                    }
                    if (label < 0) {
                        throw new IllegalArgumentException("check set " + dir + ": negative label " + label);
                    }
                    try (var images = Files.list(sub)) {
                        for (Path f : images.sorted().filter(Files::isRegularFile).toList()) {
                            files.add(f);
                            labels.add(label);
                        }
                    }
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("check set " + dir + " holds no images (expected DIR/labels.csv or DIR/<label>/<image>)");
        }
        int[] shape = chw != null ? imageShape(dir, chw) : ImageFiles.shapeOf(files.get(0));
        double[][] samples = new double[files.size()][];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = ImageFiles.read(files.get(i), shape[0], shape[1], shape[2]);
        }
        return of(dir.toString(), shape, samples, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int[] imageShape(Path dir, int[] modelShape) {
        int[] s = org.fusionmpc.semihonest.Network.withoutLeadingOnes(modelShape);
        if (s.length == 2) {
            return new int[] {1, s[0], s[1]};
        }
        if (s.length == 3 && (s[0] == 1 || s[0] == 3)) {
            return s;
        }
        throw new IllegalArgumentException("check set " + dir + ": images cannot make the model's input of shape " + Arrays.toString(modelShape)
                + "; give the set as arrays (.npy, .npz or IDX)");
    }

    /**
     * Refuses this set, with what to change, unless its samples have the model's input shape (leading 1s aside) and
     * every label is one of the model's {@code classes} outputs (0 skips that check).
     */
    public void checkFits(int[] modelInputShape, int classes) {
        int[] mine = org.fusionmpc.semihonest.Network.withoutLeadingOnes(shape);
        int[] theirs = org.fusionmpc.semihonest.Network.withoutLeadingOnes(modelInputShape);
        if (!Arrays.equals(mine, theirs)) {
            String hint = "";
            if (mine.length == 3 && theirs.length == 3 && mine[2] == theirs[0] && mine[0] == theirs[1] && mine[1] == theirs[2]) {
                hint = "; the set looks channels-last (N, H, W, C): save it channels-first, np.transpose(x, (0, 3, 1, 2))";
            } else if (size(shape) == size(modelInputShape)) {
                hint = "; the sizes agree, so reshape the samples to the model's shape if their order is the model's";
            }
            throw new IllegalArgumentException(source + ": samples of shape " + Arrays.toString(shape) + " do not fit the model's input of shape "
                    + Arrays.toString(modelInputShape) + hint);
        }
        if (classes > 0) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] >= classes) {
                    throw new IllegalArgumentException(source + ": sample " + i + " has label " + labels[i] + " but the model has "
                            + classes + " classes (0.." + (classes - 1) + ")");
                }
            }
        }
    }

    private static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("a sample shape needs positive dimensions, got " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > 1 << 24) {
            throw new IllegalArgumentException("samples of shape " + Arrays.toString(shape) + " have more than 2^24 values");
        }
        return (int) n;
    }

    /** The first {@code n} samples. */
    public LabelledSet first(int n) {
        if (n < 1 || n > samples.length) {
            throw new IllegalArgumentException("the set has " + samples.length + " samples, not " + n);
        }
        return new LabelledSet(source, shape, Arrays.copyOf(samples, n), Arrays.copyOf(labels, n), grid);
    }

    public int size() {
        return samples.length;
    }

    /** One sample's shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Values per sample. */
    public int sampleSize() {
        return size(shape);
    }

    /** Sample {@code i}, flattened row-major (a copy). */
    public double[] sample(int i) {
        return samples[i].clone();
    }

    public int label(int i) {
        return labels[i];
    }

    /** One more than the largest label: the fewest outputs a model classifying this set can have. */
    public int classes() {
        return Arrays.stream(labels).max().orElse(-1) + 1;
    }

    /** The grid queries mixed with this set are put on. */
    public InputGrid grid() {
        return grid;
    }

    /** Where the set came from, for messages. */
    public String source() {
        return source;
    }

    double[][] samplesUnsafe() {
        return samples;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d samples of shape %s", source, samples.length, Arrays.toString(shape));
    }
}
