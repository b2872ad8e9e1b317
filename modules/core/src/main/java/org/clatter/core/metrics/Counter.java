package org.clatter.core.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A named 64-bit counter, safe to increment from any thread and allocation-free. Look it up once
 * ({@link CounterRegistry#counter(String)}) and keep the handle.
 */
public final class Counter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    @SuppressWarnings("unused") // accessed through VALUE
    private volatile long value;

    Counter(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void increment() {
        VALUE.getAndAdd(this, 1L);
    }

    public void add(long delta) {
        VALUE.getAndAdd(this, delta);
    }

    public long get() {
        return value;
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
