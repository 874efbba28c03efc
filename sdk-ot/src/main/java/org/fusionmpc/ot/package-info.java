/**
 * Oblivious transfer: Chou-Orlandi base OTs, the IKNP extension with ALSZ13 optimisations (correlated, random
 * and chosen-message OT), 1-out-of-N OT, and the bit-matrix transpose they need.
 */
package org.fusionmpc.ot;
