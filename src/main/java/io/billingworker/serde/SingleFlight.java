package io.billingworker.serde;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.InterruptException;

/**
 * One computation per key at a time: a caller that asks for a key already being computed waits for that answer, or
 * its failure, instead of computing it again. Records that need the same uncached schema arrive together (a worker
 * starting on a backlog has hundreds at once), and without this each would ask the registry itself. Nothing is
 * remembered once a computation ends: caching its answer is the caller's business, and a failure is asked again.
 */
final class SingleFlight<K, V> {

    private final Map<K, CompletableFuture<V>> inProgress = new ConcurrentHashMap<>();

    /**
     * @throws InterruptException when interrupted while waiting for another caller's computation
     */
    V run(K key, Supplier<V> computation) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = inProgress.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            V answer = computation.get();
            mine.complete(answer);
            return answer;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inProgress.remove(key, mine);
        }
    }

    private static <V> V await(CompletableFuture<V> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("interrupted while waiting for the schema registry", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
