package org.fusionmpc.fusion;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Images as a model takes them: channels-first ({@code C×H×W}, row-major) values in [0, 1]. PNG, JPEG, BMP and GIF go
 * through {@code javax.imageio}; PGM (P2, P5) and PPM (P3, P6) of 8-bit samples are read here, strictly (a 16-bit
 * maxval, a short body or a sample above maxval is refused, not misread). A colour image read for one channel is
 * (R+G+B)/3; a grey one read for three repeats its plane. Every refusal names the file.
 */
public final class ImageFiles {

    private ImageFiles() {
    }

    /** Reads {@code file} as {@code channels} (1 or 3) planes of {@code height×width}; another size is refused. */
    public static double[] read(Path file, int channels, int height, int width) throws IOException {
        double[] x = decode(file, Files.readAllBytes(file), channels, height, width);
        if (x == null) {
            throw new IllegalArgumentException(file + ": not an image this reader knows (PNG, JPEG, BMP, GIF, PGM, PPM)");
        }
        return x;
    }

    /**
     * {@code bytes} (the contents of {@code file}) decoded as {@link #read} does, or null if they are no image this
     * reader knows, for a caller that reads other formats too.
     */
    public static double[] decode(Path file, byte[] bytes, int channels, int height, int width) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException(file + ": images are read as 1 (grey) or 3 (RGB) channels; the model takes " + channels);
        }
        if (bytes.length > 2 && bytes[0] == 'P' && bytes[1] >= '2' && bytes[1] <= '6' && bytes[1] != '4') {
            return pnm(file, bytes, channels, height, width);
        }
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        if (img == null) {
            return null;
        }
        checkSize(file, img.getWidth(), img.getHeight(), height, width);
        double[] x = new double[channels * height * width];
        int plane = height * width;
        for (int i = 0; i < plane; i++) {
            int rgb = img.getRGB(i % width, i / width);
            int r = (rgb >> 16) & 0xff;
            int g = (rgb >> 8) & 0xff;
            int b = rgb & 0xff;
            if (channels == 1) {
                x[i] = (r + g + b) / (3 * 255.0);
            } else {
                x[i] = r / 255.0;
                x[plane + i] = g / 255.0;
                x[2 * plane + i] = b / 255.0;
            }
        }
        return x;
    }

    /** The channels, height and width of an image file, for a set whose shape comes from its images. */
    public static int[] shapeOf(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > 2 && bytes[0] == 'P' && bytes[1] >= '2' && bytes[1] <= '6' && bytes[1] != '4') {
            int[] at = {2};
            int width = token(file, bytes, at);
            int height = token(file, bytes, at);
            return new int[] {bytes[1] == '3' || bytes[1] == '6' ? 3 : 1, height, width};
        }
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        if (img == null) {
            throw new IllegalArgumentException(file + ": not an image this reader knows (PNG, JPEG, BMP, GIF, PGM, PPM)");
        }
        return new int[] {img.getColorModel().getNumColorComponents() == 1 ? 1 : 3, img.getHeight(), img.getWidth()};
    }

    private static void checkSize(Path file, int w, int h, int height, int width) {
        if (w != width || h != height) {
            throw new IllegalArgumentException(file + ": the image is " + w + "x" + h + ", the model takes " + width + "x" + height);
        }
    }

    /**
     * A PGM (P2 text, P5 binary: one sample per pixel) or PPM (P3, P6: three): header tokens with # comments, maxval
     * 1..255, exactly width·height pixels, each sample at most maxval.
     */
    public static double[] pnm(Path file, byte[] bytes, int channels, int height, int width) {
        int[] at = {2};
        char kind = (char) bytes[1];
        boolean colour = kind == '3' || kind == '6';
        String name = colour ? "PPM" : "PGM";
        int w = token(file, bytes, at);
        int h = token(file, bytes, at);
        int max = token(file, bytes, at);
        if (w != width || h != height) {
            throw new IllegalArgumentException(file + ": a " + name + " image must be " + width + "x" + height + ", this one is " + w + "x" + h);
        }
        if (max < 1 || max > 255) {
            throw new IllegalArgumentException(file + ": " + name + " maxval " + max + "; only 8-bit " + name + "s (maxval 1..255) are read");
        }
        int perPixel = colour ? 3 : 1;
        int plane = width * height;
        int samples = plane * perPixel;
        boolean binary = kind == '5' || kind == '6';
        if (binary) {
            at[0]++; // the single whitespace after maxval
            if (bytes.length - at[0] != samples) {
                throw new IllegalArgumentException(file + ": a " + width + "x" + height + " binary " + name + " holds " + samples
                        + " samples after its header, this one " + Math.max(0, bytes.length - at[0]));
            }
        }
        double[] x = new double[channels * plane];
        for (int p = 0; p < plane; p++) {
            double sum = 0;
            for (int c = 0; c < perPixel; c++) {
                int i = p * perPixel + c;
                int v = binary ? bytes[at[0] + i] & 0xff : token(file, bytes, at);
                if (v > max) {
                    throw new IllegalArgumentException(file + ": sample " + i + " is " + v + ", above the maxval " + max);
                }
                double value = v / (double) max;
                sum += value;
                if (channels == 3) {
                    x[(colour ? c : 0) * plane + p] = value;
                }
            }
            if (channels == 1) {
                x[p] = sum / perPixel;
            } else if (!colour) {
                x[plane + p] = x[p];
                x[2 * plane + p] = x[p];
            }
        }
        return x;
    }

    /** The next decimal token from at[0], skipping whitespace and # comments; at[0] ends just after it. */
    private static int token(Path file, byte[] b, int[] at) {
        int i = at[0];
        while (i < b.length && (Character.isWhitespace(b[i]) || b[i] == '#')) {
            if (b[i] == '#') {
                while (i < b.length && b[i] != '\n') {
                    i++;
                }
            } else {
                i++;
            }
        }
        long v = 0;
        int start = i;
        while (i < b.length && b[i] >= '0' && b[i] <= '9' && i - start < 9) {
            v = v * 10 + (b[i++] - '0');
        }
        if (i == start || i < b.length && !Character.isWhitespace(b[i])) {
            throw new IllegalArgumentException(file + ": malformed or truncated " + (b[1] == '3' || b[1] == '6' ? "PPM" : "PGM") + " at byte " + i);
        }
        at[0] = i;
        return (int) v;
    }
}
