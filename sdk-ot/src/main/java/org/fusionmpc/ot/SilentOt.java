package org.fusionmpc.ot;

import org.fusionmpc.api.channel.Channel;

/** What both sides of the silent extension share: agreeing on a parameter set, and the rounds' shapes. */
final class SilentOt {

    private SilentOt() {
    }

    static Ferret.Shape mainShape(FerretParams p) {
        return new Ferret.Shape(p.n(), p.k(), p.t(), p.logBin());
    }

    static Ferret.Shape bootstrapShape(FerretParams p) {
        return new Ferret.Shape(p.nPre(), p.kPre(), p.tPre(), p.logBinPre());
    }

    /** Both sides send their set's eight numbers and refuse a peer whose set, or whose extension, differs, before any OT runs. */
    static void agree(Channel channel, FerretParams p) {
        long[] ours = {p.n(), p.k(), p.t(), p.logBin(), p.nPre(), p.kPre(), p.tPre(), p.logBinPre()};
        ExtensionAgreement.agree(channel, OtExtension.SILENT, ours, "the silent OT extension (Ferret) with " + p.name() + " "
                + java.util.Arrays.toString(ours) + " (n, k, t, log bin; bootstrap n, k, t, log bin)");
    }
}
