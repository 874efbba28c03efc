package org.fusionmpc.samples.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark result as a JSON object on one line (DESIGN section 8): {@code bench}, {@code unit},
 * {@code value}, and where measured {@code baseline}, {@code baseline_value}, {@code ratio}, {@code n},
 * traffic and {@code ok}. Field names are a contract with the site's plots; keep them stable.
 */
public final class JsonLine {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public JsonLine(String bench, String unit, double value) {
        fields.put("bench", bench);
        fields.put("unit", unit);
        fields.put("value", value);
    }

    /** Adds the baseline measured in the same run and the ratio value / baseline value. */
    public JsonLine baseline(String name, double baselineValue) {
        fields.put("baseline", name);
        fields.put("baseline_value", baselineValue);
        fields.put("ratio", ((Number) fields.get("value")).doubleValue() / baselineValue);
        return this;
    }

    public JsonLine put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    public Object get(String key) {
        return fields.get(key);
    }

    public boolean ok() {
        return !Boolean.FALSE.equals(fields.get("ok"));
    }

    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            quote(b, e.getKey());
            b.append(':');
            Object v = e.getValue();
            if (v instanceof Double d) {
                b.append(Double.isFinite(d) ? number(d) : "null");
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else if (v == null) {
                b.append("null");
            } else {
                quote(b, v.toString());
            }
        }
        return b.append('}').toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** Six significant digits, trailing zeros of the mantissa dropped (never the exponent's: 3.0e+10 is "3e+10"). */
    static String number(double d) {
        String s = String.format(Locale.ROOT, "%.6g", d);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.indexOf('.') >= 0) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }
}
