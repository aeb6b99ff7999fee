package io.billingworker.simulator;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * Makes any {@link RandomGenerator} safe to share between request threads: each draw holds a lock, so a
 * seeded generator gives the same sequence of draws as long as requests arrive one after another.
 */
final class LockedRandom implements RandomGenerator {

    private final RandomGenerator delegate;
    private final ReentrantLock lock = new ReentrantLock();

    LockedRandom(RandomGenerator delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public long nextLong() {
        lock.lock();
        try {
            return delegate.nextLong();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long nextLong(long bound) {
        lock.lock();
        try {
            return delegate.nextLong(bound);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int nextInt(int bound) {
        lock.lock();
        try {
            return delegate.nextInt(bound);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public double nextDouble() {
        lock.lock();
        try {
            return delegate.nextDouble();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public double nextGaussian() {
        lock.lock();
        try {
            return delegate.nextGaussian();
        } finally {
            lock.unlock();
        }
    }
}
