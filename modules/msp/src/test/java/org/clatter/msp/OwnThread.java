package org.clatter.msp;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs a blocking test task on a platform thread of its own. Not {@code CompletableFuture.supplyAsync(task)}: on a
 * 2-core machine (CI) the common pool has one worker, so a task that blocks (a receiver waiting for its sender)
 * holds it and the task it waits for never starts.
 */
public final class OwnThread {
    private OwnThread() {
    }

    public static <T> CompletableFuture<T> supply(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, r -> Thread.ofPlatform().daemon().name("test-task").start(r));
    }
}
