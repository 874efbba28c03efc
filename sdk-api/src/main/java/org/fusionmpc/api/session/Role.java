package org.fusionmpc.api.session;

/** The two parties. The server holds the model (or the garbler's role); the client holds the private input. */
public enum Role {
    CLIENT,
    SERVER
}
