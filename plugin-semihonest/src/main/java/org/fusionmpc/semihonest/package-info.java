/**
 * The {@code semi-honest} plugin: ONNX models in ({@link org.fusionmpc.semihonest.OnnxImporter}), a chain of
 * layers ({@link org.fusionmpc.semihonest.Network}), and two-party inference between
 * {@link org.fusionmpc.semihonest.InferenceClient} and {@link org.fusionmpc.semihonest.InferenceServer},
 * found by name through {@code Protocols.byName("semi-honest")}. MNIST data in {@link org.fusionmpc.semihonest.Mnist}.
 */
package org.fusionmpc.semihonest;
