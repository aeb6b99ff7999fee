package io.billingworker.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds TCP ports on 127.0.0.1 that are free right now. Another process can still take such a port before the caller
 * binds it, so callers retry with new ports when their bind fails (see {@link #isBindFailure(Throwable)}).
 */
public final class LoopbackPorts {

    private static final InetAddress LOOPBACK = loopback();

    private LoopbackPorts() {
    }

    /** Returns {@code count} distinct ports on 127.0.0.1 that the operating system reported free. */
    public static List<Integer> pickFree(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(LOOPBACK, 0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find " + count + " free ports on 127.0.0.1", e);
        } finally {
            sockets.forEach(LoopbackPorts::closeQuietly);
        }
    }

    /** Whether a port on 127.0.0.1 can be bound right now. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code failure} or one of its causes says that an address was already in use. */
    public static boolean isBindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || isBindMessage(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a log line or message says that an address was already in use. */
    public static boolean isBindMessage(String message) {
        return message != null && (message.contains("Address already in use") || message.contains("failed to bind"));
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to do: the socket was only used to ask for a free port.
        }
    }
}
