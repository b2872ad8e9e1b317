package org.clatter.msp;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.clatter.core.time.Clock;
import org.clatter.core.time.Scheduler;
import org.clatter.core.time.SystemClock;

/** A real-time scheduler on one thread, callable from any thread (test stand-in for the node's scheduler). */
final class ThreadScheduler implements Scheduler, AutoCloseable {
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "msp-engine");
        t.setDaemon(true);
        return t;
    });

    @Override
    public Clock clock() {
        return SystemClock.INSTANCE;
    }

    @Override
    public Cancellable schedule(long atNanos, Runnable task) {
        Runnable logged = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                e.printStackTrace();
                throw e;
            }
        };
        ScheduledFuture<?> f = executor.schedule(logged, Math.max(0, atNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
