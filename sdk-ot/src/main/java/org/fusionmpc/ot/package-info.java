/**
 * Oblivious transfer: Chou-Orlandi base OTs, the SoftSpokenOT extension (IKNP with ALSZ13's optimisations,
 * generalised to 128/k bits per OT; k = 1 is IKNP) for correlated, random and chosen-message OT, 1-out-of-N OT,
 * and the bit-matrix transpose they need.
 */
package org.fusionmpc.ot;
