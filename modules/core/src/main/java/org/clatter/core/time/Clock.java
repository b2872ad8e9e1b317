package org.clatter.core.time;

/**
 * The time source every protocol engine is driven by. Engines never read the system clock themselves: they
 * are handed {@code now} from a {@code Clock}, so the same engine runs on {@link SystemClock} and, from a seed,
 * deterministically on a {@link VirtualClock}.
 */
public interface Clock {

    /** Monotonic nanoseconds (arbitrary origin); never goes backwards. */
    long nanos();

    /** Wall-clock milliseconds since the Unix epoch (Serval manifests and timestamps need it). */
    long epochMillis();
}
