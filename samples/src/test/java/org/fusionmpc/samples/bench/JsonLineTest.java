package org.fusionmpc.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Numbers in bench output keep their exponents: a trailing zero of "e+10" once vanished into "e+1". */
class JsonLineTest {

    @Test
    void numbersKeepSixSignificantDigitsAndTheirExponent() {
        assertEquals("3.01402e+10", JsonLine.number(3.01402e10));
        assertEquals("3e+10", JsonLine.number(3.0e10));
        assertEquals("1e-05", JsonLine.number(1e-5));
        assertEquals("0.5", JsonLine.number(0.5));
        assertEquals("120", JsonLine.number(120));
        assertEquals("100000", JsonLine.number(100000));
        assertEquals("0", JsonLine.number(0));
        assertEquals("-2.5", JsonLine.number(-2.5));
    }
}
