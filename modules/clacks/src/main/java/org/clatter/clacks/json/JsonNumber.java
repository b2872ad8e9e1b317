package org.clatter.clacks.json;

import java.math.BigDecimal;
import java.util.Optional;

/** A JSON number, kept as its literal text (already checked against the JSON grammar by the reader). */
public record JsonNumber(String text) implements JsonValue {

    public JsonNumber {
        if (!JsonReader.isNumberLiteral(text)) {
            throw new IllegalArgumentException("not a JSON number literal: " + text);
        }
    }

    public static JsonNumber of(long value) {
        return new JsonNumber(Long.toString(value));
    }

    /** The exact value. */
    public BigDecimal decimalValue() {
        return new BigDecimal(text);
    }

    /** The value if it is a whole number that fits an {@code int} ({@code 8080} and {@code 8080.0} both do). */
    public Optional<Integer> intValueExact() {
        if (text.length() > 40) {
            return Optional.empty();
        }
        try {
            return Optional.of(decimalValue().intValueExact());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean truthy() {
        return decimalValue().signum() != 0;
    }
}
